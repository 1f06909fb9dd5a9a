import Accounts
import Audit
import ExamCore
import Foundation
import Storage

/// Logs people in and out and turns a presented token into an identity.
public struct AuthService: Sendable {
    public let store: Store
    public let hasher: Argon2PasswordHasher
    public let hashing: PasswordHashingPool
    public let throttle: LoginThrottle
    public let lifetime: SessionLifetime
    public let clock: any WallClock
    /// Verified against when the username is unknown, so that case costs the same time.
    private let decoy: String
    /// Sessions are touched at most this often, to keep reads from becoming writes.
    private let touchInterval: TimeInterval = 60

    public init(
        store: Store, hasher: Argon2PasswordHasher, hashing: PasswordHashingPool, throttle: LoginThrottle,
        lifetime: SessionLifetime, clock: any WallClock
    ) {
        self.store = store
        self.hasher = hasher
        self.hashing = hashing
        self.throttle = throttle
        self.lifetime = lifetime
        self.clock = clock
        self.decoy = hasher.decoyHash()
    }

    /// A successful login: the secret token (shown once) and the session.
    public struct Login: Sendable {
        public var token: SessionToken
        public var session: AuthSession
        public var account: Account
    }

    /// Checks a password and opens a session.
    /// - Throws: `too_many_attempts` (429, before any hashing), `invalid_credentials` (401, the same
    ///   for an unknown user and a wrong password), `account_disabled` (403).
    public func login(username rawUsername: String, password: String, address: String?) async throws -> Login {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        try throttle.checkAllowed(username: username, address: address)
        guard !username.isEmpty, !password.isEmpty, password.utf8.count <= 1024 else {
            throw ExamError(.unauthenticated, code: "invalid_credentials", message: "wrong username or password")
        }
        let account = try await store.accounts.account(username: username)
        let (hasher, stored) = (hasher, account?.passwordHash ?? decoy)
        let matches = try await hashing.run { hasher.verify(password, against: stored) }
        guard let account, matches else {
            throttle.recordFailure(username: username, address: address)
            try await store.audit.append(AuditEvent(
                actor: account.map { $0.id.rawValue } ?? "anonymous", action: "auth.login_failed",
                subject: account.map { "account:\($0.id)" } ?? "account:unknown",
                payload: ["username": .string(username), "address": address.map(JSONValue.string) ?? .null]
            ))
            throw ExamError(.unauthenticated, code: "invalid_credentials", message: "wrong username or password")
        }
        guard !account.disabled else {
            throw ExamError(.forbidden, code: "account_disabled", message: "this account is disabled")
        }
        throttle.recordSuccess(username: username)
        if hasher.needsRehash(account.passwordHash) {
            let newHash = try await hashing.run { try hasher.hash(password) }
            try await store.accounts.setPasswordHash(
                account.id, hash: newHash,
                audit: AuditEvent(actor: account.id.rawValue, action: "account.password_rehashed", subject: "account:\(account.id)")
            )
        }
        let now = clock.now()
        let token = SessionToken.generate()
        let session = AuthSession(
            tokenHash: token.storedHash, accountID: account.id, createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(lifetime.absolute), clientAddress: address
        )
        try await store.sessions.create(
            session,
            audit: AuditEvent(
                actor: account.id.rawValue, action: "auth.login", subject: "account:\(account.id)",
                payload: ["address": address.map(JSONValue.string) ?? .null, "session": .string(String(token.storedHash.prefix(12)))]
            )
        )
        return Login(token: token, session: session, account: account)
    }

    /// Resolves a presented token to an identity, extending its idle deadline.
    /// - Throws: `unauthenticated` when the token is unknown, revoked, expired or idle too long,
    ///   or the account is disabled.
    public func authenticate(token: String) async throws -> Identity {
        let tokenHash = SessionToken.hash(token)
        let now = clock.now()
        guard token.utf8.count <= 256, let session = try await store.sessions.session(tokenHash: tokenHash),
            lifetime.isActive(session, at: now),
            let account = try await store.accounts.account(id: session.accountID), !account.disabled
        else {
            throw ExamError(.unauthenticated, code: "unauthenticated", message: "the session has ended; log in again")
        }
        var current = session
        if now.timeIntervalSince(session.lastSeenAt) >= touchInterval {
            try await store.sessions.touch(tokenHash: tokenHash, at: now)
            current.lastSeenAt = now
        }
        return Identity(account: account, session: current, tokenHash: tokenHash)
    }

    /// Revokes the session; the token stops working at once.
    public func logout(_ identity: Identity) async throws {
        try await store.sessions.revoke(
            tokenHash: identity.tokenHash, at: clock.now(),
            audit: AuditEvent(actor: identity.account.id.rawValue, action: "auth.logout", subject: "account:\(identity.account.id)")
        )
    }
}
