import Audit
import ExamCore
import Foundation

/// A sitting as stored: what is examined, when and where, and its plan.
public struct SittingRecord: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case draft, published }

    public var id: String
    public var occupation: OccupationCode
    public var level: Level
    public var direction: String?
    public var part: ExamPart
    public var startsAt: Date
    public var durationMinutes: Int
    public var venue: String
    public var plan: SittingPlan
    public var status: Status
    public var createdBy: String
    public var createdAt: Date
    public var publishedAt: Date?

    public init(
        id: String, occupation: OccupationCode, level: Level, direction: String?, part: ExamPart, startsAt: Date, durationMinutes: Int,
        venue: String, plan: SittingPlan, status: Status, createdBy: String, createdAt: Date, publishedAt: Date? = nil
    ) {
        self.id = id
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.part = part
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.venue = venue
        self.plan = plan
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}

/// Sittings and staff relations.
public protocol SittingRepository: Sendable {
    func create(_ sitting: SittingRecord, audit: AuditEvent) async throws
    func sittings() async throws -> [SittingRecord]
    func sitting(id: String) async throws -> SittingRecord?
    /// Replaces a draft's plan. - Throws: `already_published`, `not_found`.
    func updatePlan(_ id: String, plan: SittingPlan, audit: AuditEvent) async throws
    /// Publishes a draft. - Throws: `already_published`, `not_found`.
    /// Publishes a draft and issues its admission tickets, together or not at all.
    func publish(_ id: String, at: Date, tickets: [TicketRecord], audit: AuditEvent) async throws
    func tickets(sitting: String) async throws -> [TicketRecord]
    func tickets(candidate: AccountID) async throws -> [TicketRecord]
    func ticket(code: String) async throws -> TicketRecord?
    func declare(_ relation: StaffRelation, at: Date, audit: AuditEvent) async throws
    func relations() async throws -> [StaffRelation]
}
