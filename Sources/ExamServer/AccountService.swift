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
    /// Occupations that exist in `Exams/`; an account may only be scoped to these. Nil: any code
    /// of the national form `d-dd-dd-dd` (a CLI run without the standards at hand).
    public let knownOccupations: Set<OccupationCode>?

    public init(
        store: Store, hasher: Argon2PasswordHasher, policy: PasswordPolicy = PasswordPolicy(),
        hashing: PasswordHashingPool, clock: any WallClock, knownOccupations: Set<OccupationCode>? = nil
    ) {
        self.knownOccupations = knownOccupations
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
        /// Occupation codes the person works in (optional).
        public var occupations: [String]?
        public var password: String

        public init(username: String, displayName: String, roles: [String], occupations: [String] = [], password: String) {
            self.username = username
            self.displayName = displayName
            self.roles = roles
            self.occupations = occupations
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
        let occupations = try parseOccupations(request.occupations ?? [])
        try policy.check(request.password, username: username)
        if try await store.accounts.account(username: username) != nil {
            throw ExamError(.conflict, code: "duplicate_username", message: "the username is already taken")
        }
        let hasher = hasher
        let password = request.password
        let hash = try await hashing.run { try hasher.hash(password) }
        let account = Account(
            username: username, displayName: displayName, roles: roles, occupations: occupations, passwordHash: hash, createdAt: clock.now()
        )
        try await store.accounts.create(
            account,
            audit: AuditEvent(
                actor: actor, action: "account.created", subject: "account:\(account.id)",
                payload: [
                    "username": .string(username), "roles": .array(roles.map { .string($0.rawValue) }),
                    "occupations": .array(account.occupations.map { .string($0.rawValue) }),
                ]
            )
        )
        return account
    }

    /// Replaces the occupations a staff member works in (which items an author writes and reviews).
    /// - Throws: `not_found`, `unknown_occupation`.
    public func setOccupations(_ id: AccountID, occupations codes: [String], actor: String) async throws -> Account {
        let occupations = try parseOccupations(codes)
        guard var account = try await store.accounts.account(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no such account")
        }
        try await store.accounts.setOccupations(
            id, occupations: occupations,
            audit: AuditEvent(
                actor: actor, action: "account.occupations_set", subject: "account:\(id)",
                payload: [
                    "username": .string(account.username), "from": .array(account.occupations.map { .string($0.rawValue) }),
                    "to": .array(occupations.map { .string($0.rawValue) }),
                ]
            )
        )
        account.occupations = Array(Set(occupations)).sorted { $0.rawValue < $1.rawValue }
        return account
    }

    /// Parses occupation codes (comma-separated or repeated); each must be known when the standards are.
    public func parseOccupations(_ codes: [String]) throws -> [OccupationCode] {
        var occupations: [OccupationCode] = []
        for code in codes.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !code.isEmpty {
            let occupation = OccupationCode(rawValue: code)
            let wellFormed = code.wholeMatch(of: /[0-9]-[0-9]{2}-[0-9]{2}-[0-9]{2}/) != nil
            guard wellFormed, knownOccupations?.contains(occupation) ?? true else {
                let known = knownOccupations.map { " (known: \($0.map(\.rawValue).sorted().joined(separator: ", ")))" } ?? ""
                throw ExamError.invalid("unknown_occupation", "unknown occupation '\(code)'\(known)")
            }
            occupations.append(occupation)
        }
        return Array(Set(occupations)).sorted { $0.rawValue < $1.rawValue }
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
