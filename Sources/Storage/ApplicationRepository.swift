import Accounts
import Audit
import ExamCore
import Foundation

/// A candidate's application as stored.
public struct ApplicationRecord: Sendable, Equatable, Codable {
    public var id: String
    public var accountID: AccountID
    public var form: ApplicationForm
    public var eligibility: EligibilityResult
    /// SHA-256 of the 告知承诺书 text the candidate accepted, when, and from where.
    public var commitmentSHA256: String
    public var committedAt: Date
    public var clientAddress: String?
    public var userAgent: String?
    public var status: ApplicationStatus
    /// The administrator's reason (required to reject, or to approve what the engine found ineligible).
    public var reason: String?
    public var decidedBy: String?
    public var decidedAt: Date?
    public var createdAt: Date

    public init(
        id: String, accountID: AccountID, form: ApplicationForm, eligibility: EligibilityResult, commitmentSHA256: String, committedAt: Date,
        clientAddress: String?, userAgent: String?, status: ApplicationStatus, reason: String? = nil, decidedBy: String? = nil,
        decidedAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.accountID = accountID
        self.form = form
        self.eligibility = eligibility
        self.commitmentSHA256 = commitmentSHA256
        self.committedAt = committedAt
        self.clientAddress = clientAddress
        self.userAgent = userAgent
        self.status = status
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.createdAt = createdAt
    }
}

/// What to list.
public struct ApplicationFilter: Sendable {
    public var status: ApplicationStatus?
    public var occupation: OccupationCode?
    public var level: Level?
    public var accountID: AccountID?

    public init(status: ApplicationStatus? = nil, occupation: OccupationCode? = nil, level: Level? = nil, accountID: AccountID? = nil) {
        self.status = status
        self.occupation = occupation
        self.level = level
        self.accountID = accountID
    }
}

/// Candidates and their applications.
public protocol ApplicationRepository: Sendable {
    /// Creates a candidate's account and identity together.
    /// - Throws: `duplicate_username`, `duplicate_identity` (that document is registered already).
    func register(_ account: Account, identity: CandidateIdentity, audit: AuditEvent) async throws
    func identity(of accountID: AccountID) async throws -> CandidateIdentity?
    /// The candidate registered with this document number (of any document type).
    func candidate(idNumber: String) async throws -> AccountID?
    /// Registers many candidates with one application each, all or none, with one audit entry.
    /// - Throws: `duplicate_username`, `duplicate_identity` naming the first clash; nothing is written then.
    func importRoster(_ entries: [(account: Account, identity: CandidateIdentity, application: ApplicationRecord)], audit: AuditEvent) async throws
    /// - Throws: `duplicate_application` when the candidate has an open one for that occupation and level.
    func submit(_ application: ApplicationRecord, audit: AuditEvent) async throws
    /// Newest first.
    func applications(_ filter: ApplicationFilter) async throws -> [ApplicationRecord]
    func application(id: String) async throws -> ApplicationRecord?
    /// Moves an application from `from` to `to` with the reason, who and when (checked in the transaction).
    /// - Throws: `wrong_status`, `not_found`.
    func decide(_ id: String, from: ApplicationStatus, to: ApplicationStatus, reason: String?, by: String, at: Date, audit: AuditEvent) async throws
}
