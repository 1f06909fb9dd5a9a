import Accounts
import Audit
import ExamCore
@testable import ExamServer
import ExamTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite struct AuthTests {
    @Test func loginGivesATokenAndAnHttpOnlyCookieAndMeWorksWithEither() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("wangmin", roles: [.examAdmin, .examiner])
        try await app.application().test(.router) { client in
            let response = try await client.post(
                "/api/v1/auth/login", json: #"{"username":"WangMin","password":"\#(TestApp.password(for: "wangmin"))"}"#
            )
            #expect(response.status == .ok)
            let token = try #require(response.json["token"] as? String)
            let user = try #require(response.json["user"] as? [String: Any])
            #expect(user["username"] as? String == "wangmin")
            #expect(user["roles"] as? [String] == ["exam_admin", "examiner"])
            #expect(user["passwordHash"] == nil)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("assay_session=\(token)"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(response.headers[.cacheControl] == "no-store")

            let me = try await client.get("/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect((me.json["user"] as? [String: Any])?["displayName"] as? String == "用户 wangmin")
            let viaCookie = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "assay_session=\(token)"])
            #expect(viaCookie.status == .ok)
        }
    }

    @Test func wrongPasswordAndUnknownUserLookTheSame() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("lina", roles: [.examiner])
        try await app.application().test(.router) { client in
            let wrong = try await client.post("/api/v1/auth/login", json: #"{"username":"lina","password":"not-the-password"}"#)
            let unknown = try await client.post("/api/v1/auth/login", json: #"{"username":"nobody","password":"not-the-password"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            #expect(String(buffer: wrong.body) == String(buffer: unknown.body))
            #expect(!String(buffer: wrong.body).contains("not-the-password"))
        }
    }

    @Test func tenWrongPasswordsInARowAreThrottledWith429AndRetryAfter() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("zhaolei", roles: [.supervisor])
        try await app.application().test(.router) { client in
            var statuses: [Int] = []
            var retryAfter: String?
            for _ in 0..<10 {
                let response = try await client.post("/api/v1/auth/login", json: #"{"username":"zhaolei","password":"wrong-password-x"}"#)
                statuses.append(response.status.code)
                if response.status == .tooManyRequests {
                    retryAfter = response.headers[.retryAfter]
                    #expect(response.errorCode == "too_many_attempts")
                }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 })
            #expect(statuses.suffix(5).allSatisfy { $0 == 429 })
            #expect(Int(retryAfter ?? "") ?? 0 > 0)
            // Even the right password is refused while locked...
            let locked = try await client.post(
                "/api/v1/auth/login", json: #"{"username":"zhaolei","password":"\#(TestApp.password(for: "zhaolei"))"}"#
            )
            #expect(locked.status == .tooManyRequests)
            // ...and accepted once the lock has passed.
            app.clock.advance(by: 31)
            #expect(try await client.login("zhaolei", TestApp.password(for: "zhaolei")).count == 43)
        }
    }

    @Test func logoutRevokesTheTokenAtOnce() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("chenjing", roles: [.examiner])
        try await app.application().test(.router) { client in
            let token = try await client.login("chenjing", TestApp.password(for: "chenjing"))
            let logout = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: [.authorization: "Bearer \(token)"])
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let me = try await client.get("/api/v1/me", token: token)
            #expect(me.status == .unauthorized)
            #expect(me.errorCode == "unauthenticated")
        }
    }

    @Test func sessionsEndWhenIdleAndAtTheAbsoluteLimit() async throws {
        let app = try TestApp(sessions: SessionLifetime(idle: 30 * 60, absolute: 2 * 3600))
        defer { app.close() }
        try await app.addAccount("sunyue", roles: [.candidate])
        try await app.application().test(.router) { client in
            let idle = try await client.login("sunyue", TestApp.password(for: "sunyue"))
            app.clock.advance(by: 29 * 60)
            #expect(try await client.get("/api/v1/me", token: idle).status == .ok)
            app.clock.advance(by: 29 * 60)
            #expect(try await client.get("/api/v1/me", token: idle).status == .ok, "activity moved the idle deadline")
            app.clock.advance(by: 31 * 60)
            #expect(try await client.get("/api/v1/me", token: idle).status == .unauthorized)

            let active = try await client.login("sunyue", TestApp.password(for: "sunyue"))
            for _ in 0..<5 {
                app.clock.advance(by: 25 * 60)
                _ = try await client.get("/api/v1/me", token: active)
            }
            #expect(try await client.get("/api/v1/me", token: active).status == .unauthorized, "ended after 2 hours however active")
        }
    }

    @Test func disabledAccountsCannotLogInAndLoseTheirSessions() async throws {
        let app = try TestApp()
        defer { app.close() }
        let account = try await app.addAccount("liuyang", roles: [.bankCustodian])
        try await app.application().test(.router) { client in
            let token = try await client.login("liuyang", TestApp.password(for: "liuyang"))
            _ = try await app.services.accounts.setDisabled(account.id, disabled: true, actor: "test")
            #expect(try await client.get("/api/v1/me", token: token).status == .unauthorized)
            let login = try await client.post("/api/v1/auth/login", json: #"{"username":"liuyang","password":"\#(TestApp.password(for: "liuyang"))"}"#)
            #expect(login.status == .forbidden)
            #expect(login.errorCode == "account_disabled")
            let wrong = try await client.post("/api/v1/auth/login", json: #"{"username":"liuyang","password":"not-the-right-one"}"#)
            #expect(wrong.status == .unauthorized, "a wrong password on a disabled account says nothing about the state")
        }
    }

    @Test func noPasswordOrTokenIsStoredInClear() async throws {
        let app = try TestApp()
        defer { app.close() }
        let password = "a-very-distinct-password-4711"
        try await app.addAccount("zhangwei", roles: [.itemAuthor], password: password)
        let token = try await app.application().test(.router) { client in
            try await client.login("zhangwei", password)
        }
        let texts = try RawSQLite.allText(app.dataDirectory.databasePath)
        #expect(!texts.isEmpty)
        #expect(!texts.contains { $0.contains(password) })
        #expect(!texts.contains { $0.contains(token) })
        #expect(texts.contains(SessionToken.hash(token)), "the token is stored as its hash")
        // Nor in the write-ahead log, byte for byte.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: app.dataDirectory.databasePath + suffix) ?? Data()
            #expect(bytes.range(of: Data(password.utf8)) == nil)
            #expect(bytes.range(of: Data(token.utf8)) == nil)
        }
    }

    @Test func aPasswordTypedIntoTheUsernameFieldIsNeverRecorded() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.application().test(.router) { client in
            let response = try await client.post("/api/v1/auth/login", json: #"{"username":"MySecretPass2026","password":"x-password"}"#)
            #expect(response.status == .unauthorized)
        }
        let entries = try await app.services.store.audit.entries(after: 0, limit: 10)
        #expect(entries.map(\.action) == ["auth.login_failed"])
        #expect(try RawSQLite.allText(app.dataDirectory.databasePath).allSatisfy { !$0.lowercased().contains("mysecretpass2026") })
    }

    @Test func aBusyHashingPoolAnswers503WithRetryAfter() async throws {
        let pool = PasswordHashingPool(threads: 1, queueLimit: 1)
        let gate = DispatchSemaphore(value: 0)
        async let first: Void = pool.run { gate.wait() }
        try await Task.sleep(for: .milliseconds(100))
        let error = await #expect(throws: ExamError.self) { try await pool.run { () } }
        #expect(error?.code == "busy")
        #expect(error?.retryAfter != nil)
        #expect(APIError(error: try #require(error)).status == .serviceUnavailable)
        gate.signal()
        try await first
        try await pool.run { () }
        try await pool.shutdown()
    }

    @Test func disabledLoginsAreAudited() async throws {
        let app = try TestApp()
        defer { app.close() }
        let account = try await app.addAccount("off", roles: [.examiner])
        _ = try await app.services.accounts.setDisabled(account.id, disabled: true, actor: "test")
        try await app.application().test(.router) { client in
            _ = try await client.post("/api/v1/auth/login", json: #"{"username":"off","password":"\#(TestApp.password(for: "off"))"}"#)
        }
        let actions = try await app.services.store.audit.entries(after: 0, limit: 10).map(\.action)
        #expect(actions.last == "auth.login_refused_disabled")
    }

    @Test func everyLoginAndFailureIsOnTheAuditRecord() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("auditme", roles: [.examiner])
        try await app.application().test(.router) { client in
            _ = try await client.post("/api/v1/auth/login", json: #"{"username":"auditme","password":"wrong-one-here"}"#)
            let token = try await client.login("auditme", TestApp.password(for: "auditme"))
            _ = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: [.authorization: "Bearer \(token)"])
        }
        let actions = try await app.services.store.audit.entries(after: 0, limit: 100).map(\.action)
        #expect(actions == ["account.created", "auth.login_failed", "auth.login", "auth.logout"])
        let verdict = try await app.services.store.audit.verifyChain(publicKey: app.services.signingKey?.publicKey)
        #expect(verdict.isIntact)
    }
}
