import Accounts
import Audit
import ExamCore
import Foundation

/// Accounts and their roles. Every change is written together with its audit entry, or not at all.
public protocol AccountRepository: Sendable {
    /// - Throws: ``ExamError`` `duplicate_username` if the name is taken.
    func create(_ account: Account, audit: AuditEvent) async throws
    func account(username: String) async throws -> Account?
    func account(id: AccountID) async throws -> Account?
    /// All accounts, ordered by username.
    func list() async throws -> [Account]
    func count() async throws -> Int
    /// Disables (ending every session of the account at `time`, in the same transaction) or re-enables.
    /// - Throws: ``ExamError`` `not_found`.
    func setDisabled(_ id: AccountID, disabled: Bool, at time: Date, audit: AuditEvent) async throws
    /// - Throws: ``ExamError`` `not_found`.
    func setPasswordHash(_ id: AccountID, hash: String, audit: AuditEvent) async throws
    /// Replaces the occupations a staff member works in.
    /// - Throws: ``ExamError`` `not_found`.
    func setOccupations(_ id: AccountID, occupations: [OccupationCode], audit: AuditEvent) async throws
}

/// Login sessions, stored by the hash of their token.
public protocol SessionRepository: Sendable {
    func create(_ session: AuthSession, audit: AuditEvent) async throws
    func session(tokenHash: String) async throws -> AuthSession?
    /// Records activity; the idle deadline moves from here.
    func touch(tokenHash: String, at time: Date) async throws
    /// Revokes one session. Returns false if it was unknown or already revoked.
    @discardableResult
    func revoke(tokenHash: String, at time: Date, audit: AuditEvent) async throws -> Bool
    /// Deletes sessions that ended before `time`; returns how many.
    func deleteEnded(before time: Date) async throws -> Int
}

/// The hash-chained audit log.
public protocol AuditLog: Sendable {
    /// Appends one entry (and a signed checkpoint when one is due) durably.
    @discardableResult
    func append(_ event: AuditEvent) async throws -> AuditEntry
    /// Up to `limit` entries with `seq > after`, ascending.
    func entries(after seq: Int64, limit: Int) async throws -> [AuditEntry]
    func checkpoints() async throws -> [AuditCheckpoint]
    /// Signs a checkpoint for the current head now (no-op if the head is already checkpointed).
    @discardableResult
    func checkpoint() async throws -> AuditCheckpoint?
    func count() async throws -> Int64
    /// Public keys the body has signed with, by key ID (hex raw keys).
    func signingKeys() async throws -> [String: String]
}

/// The evaluation body's own record.
public struct BodyProfile: Sendable, Equatable, Codable {
    public var name: String
    public var code: String
    public var createdAt: Date

    public init(name: String, code: String, createdAt: Date) {
        self.name = name
        self.code = code
        self.createdAt = createdAt
    }
}

/// The body profile (one row).
public protocol BodyRepository: Sendable {
    func profile() async throws -> BodyProfile?
    /// - Throws: ``ExamError`` `already_initialised` if a profile exists.
    func create(_ profile: BodyProfile, audit: AuditEvent) async throws
}

/// Every repository of one backend, handed to the server and the CLI as one value.
public struct Store: Sendable {
    public var body: any BodyRepository
    public var accounts: any AccountRepository
    public var sessions: any SessionRepository
    public var audit: any AuditLog
    public var items: any ItemRepository
    public var papers: any PaperRepository
    public var applications: any ApplicationRepository
    public var sittings: any SittingRepository
    public var evidence: any EvidenceRepository
    public var plans: any PlanRepository
    public var delivery: any DeliveryRepository
    public var proctoring: any ProctoringRepository
    public var marking: any MarkingRepository
    public var results: any ResultRepository

    public init(
        body: any BodyRepository, accounts: any AccountRepository, sessions: any SessionRepository, audit: any AuditLog,
        items: any ItemRepository, papers: any PaperRepository, applications: any ApplicationRepository, sittings: any SittingRepository,
        evidence: any EvidenceRepository, plans: any PlanRepository, delivery: any DeliveryRepository, proctoring: any ProctoringRepository,
        marking: any MarkingRepository, results: any ResultRepository
    ) {
        self.marking = marking
        self.results = results
        self.delivery = delivery
        self.proctoring = proctoring
        self.evidence = evidence
        self.plans = plans
        self.sittings = sittings
        self.papers = papers
        self.applications = applications
        self.body = body
        self.accounts = accounts
        self.sessions = sessions
        self.audit = audit
        self.items = items
    }
}
