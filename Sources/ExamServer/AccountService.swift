import Accounts
import Audit
import ExamCore
import Foundation
import Storage

/// Creates and manages accounts for the server and the CLI: checks names and passwords,
/// hashes off the request threads and writes each change with its audit entry.
public struct AccountService: Sendable {
    public let store: Store
    public let hasher: Argon2PasswordHasher
    public let policy: PasswordPolicy
    public let hashing: PasswordHashingPool
    public let clock: any WallClock

    public init(
        store: Store, hasher: Argon2PasswordHasher, policy: PasswordPolicy = PasswordPolicy(),
        hashing: PasswordHashingPool, clock: any WallClock
    ) {
        self.store = store
        self.hasher = hasher
        self.policy = policy
        self.hashing = hashing
        self.clock = clock
    }

    /// A request to create an account.
    public struct NewAccount: Sendable, Codable {
        public var username: String
        public var displayName: String
        public var roles: [String]
        public var password: String

        public init(username: String, displayName: String, roles: [String], password: String) {
            self.username = username
            self.displayName = displayName
            self.roles = roles
            self.password = password
        }
    }

    /// Validates and creates an account; nothing is written unless every check passes.
    /// - Parameter actor: who is creating it, for the record (`cli:<user>` or an account ID).
    /// - Throws: ``ExamError`` `invalid_username`, `invalid_display_name`, `unknown_role`, `no_role`,
    ///   `weak_password` or `duplicate_username`.
    public func create(_ request: NewAccount, actor: String) async throws -> Account {
        let username = try Username.normalise(request.username)
        let displayName = try Username.checkDisplayName(request.displayName)
        let roles = try Self.parseRoles(request.roles)
        try policy.check(request.password, username: username)
        if try await store.accounts.account(username: username) != nil {
            throw ExamError(.conflict, code: "duplicate_username", message: "the username is already taken")
        }
        let hasher = hasher
        let password = request.password
        let hash = try await hashing.run { try hasher.hash(password) }
        let account = Account(
            username: username, displayName: displayName, roles: roles, passwordHash: hash, createdAt: clock.now()
        )
        try await store.accounts.create(
            account,
            audit: AuditEvent(
                actor: actor, action: "account.created", subject: "account:\(account.id)",
                payload: ["username": .string(username), "roles": .array(roles.map { .string($0.rawValue) })]
            )
        )
        return account
    }

    /// Disables or re-enables an account; disabling also ends its sessions.
    public func setDisabled(_ id: AccountID, disabled: Bool, actor: String) async throws -> Account {
        guard var account = try await store.accounts.account(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no such account")
        }
        try await store.accounts.setDisabled(
            id, disabled: disabled, at: clock.now(),
            audit: AuditEvent(
                actor: actor, action: disabled ? "account.disabled" : "account.enabled", subject: "account:\(id)",
                payload: ["username": .string(account.username)]
            )
        )
        account.disabled = disabled
        return account
    }

    /// Parses role codes (or Chinese names); at least one, all known.
    public static func parseRoles(_ codes: [String]) throws -> [Role] {
        var roles: [Role] = []
        for code in codes.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) })
        where !code.isEmpty {
            guard let role = Role(code: code) else {
                throw ExamError.invalid(
                    "unknown_role",
                    "unknown role '\(code)' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            roles.append(role)
        }
        guard !roles.isEmpty else { throw ExamError.invalid("no_role", "an account needs at least one role") }
        return Array(Set(roles)).sorted()
    }
}
