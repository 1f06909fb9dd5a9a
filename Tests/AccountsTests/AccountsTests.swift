import Accounts
import ExamCore
import Foundation
import Testing

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    @Test func shipsAListOfCommonPasswords() {
        #expect(policy.commonListSize > 10_000)
    }

    @Test(arguments: ["short", "1234567", "password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou", "woaini1314", "1qaz2wsx", "aaaaaaaaaaaa"])
    func refuses(_ password: String) {
        let error = #expect(throws: ExamError.self) { try policy.check(password) }
        #expect(error?.code == "weak_password")
        if password != "password" {
            #expect(error?.message.contains(password) == false, "the message must not echo the password")
        }
    }

    @Test(arguments: ["correct horse battery staple", "zhe-shi-wo-de-mima", "评价考试系统密码2026", "Tr0ub4dor&3x", "abcdefgh1357"])
    func acceptsLongUncommonPasswordsWithoutCompositionRules(_ password: String) throws {
        try policy.check(password)
    }

    @Test func refusesThePasswordContainingTheUsername() {
        #expect(throws: ExamError.self) { try policy.check("wangmin-2026-exam", username: "wangmin") }
    }

    @Test func countsCharactersNotBytes() throws {
        try policy.check("数字技术工程师认证")  // 9 characters, 27 bytes
        #expect(throws: ExamError.self) { try policy.check("考试密码") }  // 4 characters, 12 bytes
    }
}

@Suite struct UsernameTests {
    @Test(arguments: [("Alice", "alice"), ("  wang.min ", "wang.min"), ("exam-admin_01", "exam-admin_01"), ("a@b.cn", "a@b.cn")])
    func normalises(_ raw: String, _ expected: String) throws {
        #expect(try Username.normalise(raw) == expected)
    }

    @Test(arguments: ["ab", "王敏", "has space", "semi;colon", String(repeating: "x", count: 65), ""])
    func refuses(_ raw: String) {
        #expect(throws: ExamError.self) { try Username.normalise(raw) }
    }
}

@Suite struct Argon2Tests {
    @Test func hashesWithOWASPParametersByDefaultAndVerifies() throws {
        let hasher = Argon2PasswordHasher()
        let hash = try hasher.hash("correct horse battery staple")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(!hash.contains("correct horse"))
        #expect(hasher.verify("correct horse battery staple", against: hash))
        #expect(!hasher.verify("correct horse battery stapler", against: hash))
        #expect(!hasher.needsRehash(hash))
    }

    @Test func saltsEveryHash() throws {
        let hasher = Argon2PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1))
        #expect(try hasher.hash("same password here") != hasher.hash("same password here"))
    }

    @Test func malformedHashesNeverVerify() {
        let hasher = Argon2PasswordHasher()
        #expect(!hasher.verify("anything", against: ""))
        #expect(!hasher.verify("anything", against: "$argon2id$garbage"))
        #expect(!hasher.verify("", against: hasher.decoyHash()))
    }

    @Test func strongerStoredHashesAreNeverDowngraded() throws {
        let strong = try Argon2PasswordHasher(parameters: .init(memoryKiB: 32 * 1024, iterations: 3)).hash("some password 2")
        #expect(!Argon2PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1)).needsRehash(strong))
        #expect(Argon2PasswordHasher.parameters(of: strong) == .init(memoryKiB: 32 * 1024, iterations: 3, parallelism: 1))
        #expect(Argon2PasswordHasher.parameters(of: "$argon2id$v=19$m=x$a$b") == nil)
    }

    @Test func weakerStoredParametersAskForARehash() throws {
        let weak = try Argon2PasswordHasher(parameters: .init(memoryKiB: 8192, iterations: 1)).hash("some password 1")
        #expect(Argon2PasswordHasher().needsRehash(weak))
        #expect(Argon2PasswordHasher().verify("some password 1", against: weak), "old hashes still verify")
    }
}

@Suite struct SessionTokenTests {
    @Test func tokensCarry256RandomBitsAndAreStoredOnlyAsHashes() {
        let tokens = (0..<200).map { _ in SessionToken.generate() }
        #expect(Set(tokens.map(\.secret)).count == 200)
        for token in tokens {
            #expect(token.secret.count == 43)  // 32 bytes, base64url without padding
            #expect(token.storedHash.count == 64)
            #expect(token.storedHash != token.secret)
            #expect(SessionToken.hash(token.secret) == token.storedHash)
        }
    }

    @Test func lifetimeEndsOnIdleAbsoluteOrRevocation() {
        let lifetime = SessionLifetime(idle: 1800, absolute: 3600 * 12)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var session = AuthSession(
            tokenHash: String(repeating: "a", count: 64), accountID: AccountID(rawValue: "x"), createdAt: start, lastSeenAt: start,
            expiresAt: start.addingTimeInterval(3600 * 12)
        )
        #expect(lifetime.isActive(session, at: start.addingTimeInterval(1799)))
        #expect(!lifetime.isActive(session, at: start.addingTimeInterval(1800)))
        session.lastSeenAt = start.addingTimeInterval(3600 * 11.9)
        #expect(lifetime.isActive(session, at: start.addingTimeInterval(3600 * 11.95)))
        #expect(!lifetime.isActive(session, at: start.addingTimeInterval(3600 * 12)))
        session.revokedAt = start.addingTimeInterval(3600 * 11.91)
        #expect(!lifetime.isActive(session, at: start.addingTimeInterval(3600 * 11.95)))
    }
}

@Suite struct LoginThrottleTests {
    let clock = ManualWallClock()

    /// One complete attempt: reserve, then settle.
    func attempt(_ throttle: LoginThrottle, _ username: String, _ address: String?, succeeds: Bool = false) throws {
        let attempt = try throttle.begin(username: username, address: address)
        throttle.finish(attempt, succeeded: succeeds)
    }

    @Test func locksAnAccountAfterFiveFailuresAndDoublesTheLock() throws {
        let throttle = LoginThrottle(clock: clock)
        for _ in 0..<5 { try attempt(throttle, "alice", "10.0.0.1") }
        let error = #expect(throws: ExamError.self) { try throttle.begin(username: "alice", address: "10.0.0.2") }
        #expect(error?.code == "too_many_attempts")
        #expect(error?.retryAfter == 30)
        // Another account from the same address is still allowed.
        try attempt(throttle, "bob", "10.0.0.1", succeeds: true)
        clock.advance(by: 31)
        try attempt(throttle, "alice", "10.0.0.1")
        let second = #expect(throws: ExamError.self) { try throttle.begin(username: "alice", address: nil) }
        #expect(second?.retryAfter == 60)
    }

    @Test func parallelGuessesCannotSlipPastTheLock() throws {
        let throttle = LoginThrottle(clock: clock)
        // A burst: reservations are taken before any password is checked.
        var reserved: [LoginThrottle.Attempt] = []
        var refused = 0
        for _ in 0..<50 {
            do { reserved.append(try throttle.begin(username: "carol", address: "10.1.1.1")) } catch { refused += 1 }
        }
        #expect(reserved.count == 5, "only the threshold's worth of attempts may be in flight")
        #expect(refused == 45)
        for attempt in reserved { throttle.finish(attempt, succeeded: false) }
        #expect(throws: ExamError.self) { try throttle.begin(username: "carol", address: "10.1.1.1") }
    }

    @Test func aCancelledAttemptDoesNotCount() throws {
        let throttle = LoginThrottle(clock: clock)
        for _ in 0..<10 {
            let attempt = try throttle.begin(username: "dave", address: nil)
            throttle.cancel(attempt)
        }
        try attempt(throttle, "dave", nil, succeeds: true)
        #expect(throttle.trackedKeys == 0)
    }

    @Test func locksAnAddressTryingManyAccounts() throws {
        let throttle = LoginThrottle(clock: clock)
        for index in 0..<20 { try attempt(throttle, "user\(index)", "10.9.9.9") }
        #expect(throws: ExamError.self) { try throttle.begin(username: "fresh", address: "10.9.9.9") }
        try attempt(throttle, "fresh", "10.9.9.8", succeeds: true)
    }

    @Test func anIPv6ClientIsKeyedByItsSlash64() throws {
        let throttle = LoginThrottle(clock: clock)
        for index in 0..<20 { try attempt(throttle, "user\(index)", "2001:db8:1:2::\(index + 1)") }
        #expect(throws: ExamError.self) { try throttle.begin(username: "fresh", address: "2001:db8:1:2:ffff::9") }
        try attempt(throttle, "fresh", "2001:db8:1:3::1", succeeds: true)
    }

    @Test func successClearsTheAccountAndOldFailuresAreForgotten() throws {
        let throttle = LoginThrottle(clock: clock)
        for _ in 0..<4 { try attempt(throttle, "erin", nil) }
        try attempt(throttle, "erin", nil, succeeds: true)
        for _ in 0..<4 { try attempt(throttle, "erin", nil) }
        clock.advance(by: 16 * 60)
        for _ in 0..<4 { try attempt(throttle, "erin", nil) }
        _ = try throttle.begin(username: "erin", address: nil)
    }

    @Test func staysWithinItsCapacityAndKeepsLocksInForce() throws {
        let throttle = LoginThrottle(policy: .init(capacity: 100), clock: clock)
        for _ in 0..<5 { try attempt(throttle, "target", nil) }
        for index in 0..<1000 {
            try attempt(throttle, "u\(index)", nil)
            clock.advance(by: 0.001)
        }
        #expect(throttle.trackedKeys <= 100)
        // The oldest entry is the lock on the attacked account: it is kept.
        #expect(throws: ExamError.self) { try throttle.begin(username: "target", address: nil) }
    }
}
