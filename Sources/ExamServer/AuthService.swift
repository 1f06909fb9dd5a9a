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
    ///   for an unknown user and a wrong password, after the same work), `account_disabled` (403,
    ///   only with the right password; counted and audited like a failure).
    public func login(username rawUsername: String, password: String, address: String?) async throws -> Login {
        // The throttle key is the normalised name, capped so that junk cannot grow the table's keys.
        let username = (try? Username.normalise(rawUsername)) ?? String(rawUsername.lowercased().prefix(64))
        let attempt = try throttle.begin(username: username, address: address)
        let outcome: Result<Account, RefusedLogin>
        do {
            outcome = try await check(username: username, password: password, address: address)
        } catch {
            throttle.cancel(attempt)
            throw error
        }
        let account: Account
        switch outcome {
        case .failure(let refused):
            throttle.finish(attempt, succeeded: false)
            try await store.audit.append(refused.event)
            throw refused.error
        case .success(let verified):
            throttle.finish(attempt, succeeded: true)
            account = verified
        }
        if hasher.needsRehash(account.passwordHash) {
            let hasher = hasher
            let rehashed = try await hashing.run { try hasher.hash(password) }
            try await store.accounts.setPasswordHash(
                account.id, hash: rehashed,
                audit: AuditEvent(actor: account.id.rawValue, action: "account.password_rehashed", subject: "account:\(account.id)")
            )
        }
        return try await openSession(for: account, address: address, action: "auth.login")
    }

    /// Opens a session for an account whose credentials were checked (a password, or a ticket and ID number).
    public func openSession(for account: Account, address: String?, action: String, payload: [String: JSONValue] = [:]) async throws -> Login {
        let now = clock.now()
        let token = SessionToken.generate()
        let session = AuthSession(
            tokenHash: token.storedHash, accountID: account.id, createdAt: now, lastSeenAt: now,
            expiresAt: now.addingTimeInterval(lifetime.absolute), clientAddress: address
        )
        try await store.sessions.create(
            session,
            audit: AuditEvent(
                actor: account.id.rawValue, action: action, subject: "account:\(account.id)",
                payload: .object(payload.merging(["address": address.map(JSONValue.string) ?? .null, "session": .string(String(token.storedHash.prefix(12)))]) { $1 })
            )
        )
        return Login(token: token, session: session, account: account)
    }

    /// A refused login: what the caller is told and what goes on the record.
    struct RefusedLogin: Error {
        var error: ExamError
        var event: AuditEvent
    }

    /// Verifies the password (on the hashing pool) and the account's state.
    /// The typed username is never recorded: people type passwords into it.
    private func check(username: String, password: String, address: String?) async throws -> Result<Account, RefusedLogin> {
        let addressValue: JSONValue = address.map(JSONValue.string) ?? .null
        guard !username.isEmpty, !password.isEmpty, password.utf8.count <= 1024 else {
            return .failure(RefusedLogin(
                error: ExamError(.unauthenticated, code: "invalid_credentials", message: "wrong username or password"),
                event: AuditEvent(actor: "anonymous", action: "auth.login_failed", subject: "account:unknown", payload: ["address": addressValue])
            ))
        }
        let account = try await store.accounts.account(username: username)
        let (hasher, stored) = (hasher, account?.passwordHash ?? decoy)
        let matches = try await hashing.run { hasher.verify(password, against: stored) }
        guard let account, matches else {
            return .failure(RefusedLogin(
                error: ExamError(.unauthenticated, code: "invalid_credentials", message: "wrong username or password"),
                event: AuditEvent(
                    actor: account?.id.rawValue ?? "anonymous", action: "auth.login_failed",
                    subject: account.map { "account:\($0.id)" } ?? "account:unknown", payload: ["address": addressValue]
                )
            ))
        }
        guard !account.disabled else {
            return .failure(RefusedLogin(
                error: ExamError(.forbidden, code: "account_disabled", message: "this account is disabled"),
                event: AuditEvent(
                    actor: account.id.rawValue, action: "auth.login_refused_disabled", subject: "account:\(account.id)",
                    payload: ["address": addressValue]
                )
            ))
        }
        return .success(account)
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
