import Accounts
import Audit
import ExamCore
import Foundation

/// A candidate's uploaded document as stored: what it is, and its sealed bytes.
public struct EvidenceRecord: Sendable, Equatable {
    public var id: String
    public var owner: AccountID
    public var kind: String
    public var contentType: String
    public var fileName: String
    public var size: Int
    public var sha256: String
    public var wrappedKey: Data
    public var box: Data
    public var uploadedAt: Date

    public init(
        id: String, owner: AccountID, kind: String, contentType: String, fileName: String, size: Int, sha256: String, wrappedKey: Data, box: Data,
        uploadedAt: Date
    ) {
        self.id = id
        self.owner = owner
        self.kind = kind
        self.contentType = contentType
        self.fileName = fileName
        self.size = size
        self.sha256 = sha256
        self.wrappedKey = wrappedKey
        self.box = box
        self.uploadedAt = uploadedAt
    }
}

public protocol EvidenceRepository: Sendable {
    func add(_ evidence: EvidenceRecord, audit: AuditEvent) async throws
    /// The owner's documents not withdrawn, oldest first (boxes included).
    func evidence(owner: AccountID) async throws -> [EvidenceRecord]
    func evidence(id: String) async throws -> EvidenceRecord?
    /// Erases the box and marks the row withdrawn.
    func withdraw(_ id: String, at: Date, audit: AuditEvent) async throws
    /// Appends an audit entry (a staff member viewed a document).
    func record(_ audit: AuditEvent) async throws
}

/// One row of the annual exam plan (年度考试计划).
public struct PlanRecord: Sendable, Equatable, Codable {
    public var id: String
    public var year: Int
    public var occupation: OccupationCode
    public var level: Level
    public var direction: String?
    public var expectedCandidates: Int
    /// Planned exam dates, `yyyy-MM-dd`.
    public var dates: [String]
    public var note: String
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, year: Int, occupation: OccupationCode, level: Level, direction: String?, expectedCandidates: Int, dates: [String], note: String,
        createdBy: String, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.year = year
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.expectedCandidates = expectedCandidates
        self.dates = dates
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public protocol PlanRepository: Sendable {
    /// - Throws: `duplicate_plan` when the year already has a row for that occupation, level and direction.
    func create(_ plan: PlanRecord, audit: AuditEvent) async throws
    func update(_ plan: PlanRecord, audit: AuditEvent) async throws
    func delete(_ id: String, audit: AuditEvent) async throws
    func plan(id: String) async throws -> PlanRecord?
    func plans(year: Int?) async throws -> [PlanRecord]
}

/// An admission ticket (准考证): the code a candidate signs in to a sitting with, and their seat.
public struct TicketRecord: Sendable, Equatable, Codable {
    public var code: String
    public var sittingID: String
    public var candidate: AccountID
    public var room: String
    public var seat: Int
    public var issuedAt: Date

    public init(code: String, sittingID: String, candidate: AccountID, room: String, seat: Int, issuedAt: Date) {
        self.code = code
        self.sittingID = sittingID
        self.candidate = candidate
        self.room = room
        self.seat = seat
        self.issuedAt = issuedAt
    }
}
