import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteSittingRepository: SittingRepository {
    let database: SQLiteDatabase

    static func encode(_ plan: SittingPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    func create(_ sitting: SittingRecord, audit: AuditEvent) async throws {
        let database = database
        let plan = try Self.encode(sitting.plan)
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sitting (id, occupation, level, direction, part, starts_at, duration_minutes, venue, plan, status, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sitting.id, sitting.occupation.rawValue, sitting.level.rawValue, sitting.direction, sitting.part.rawValue,
                            sitting.startsAt.millis, sitting.durationMinutes, sitting.venue, plan, sitting.status.rawValue, sitting.createdBy,
                            sitting.createdAt.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func sittings() async throws -> [SittingRecord] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM sitting ORDER BY starts_at, id").map(Self.record) }
    }

    func sitting(id: String) async throws -> SittingRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM sitting WHERE id = ?", arguments: [id]).map(Self.record) }
    }

    func updatePlan(_ id: String, plan: SittingPlan, audit: AuditEvent) async throws {
        let database = database
        let text = try Self.encode(plan)
        try await database.write { db in
            try Self.requireDraft(id, db)
            try db.execute(sql: "UPDATE sitting SET plan = ? WHERE id = ?", arguments: [text, id])
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func publish(_ id: String, at: Date, tickets: [TicketRecord], audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try Self.requireDraft(id, db)
            try db.execute(sql: "UPDATE sitting SET status = 'published', published_at = ? WHERE id = ?", arguments: [at.millis, id])
            for ticket in tickets {
                try db.execute(
                    sql: "INSERT INTO ticket (code, sitting_id, candidate_id, room, seat, issued_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [ticket.code, id, ticket.candidate.rawValue, ticket.room, ticket.seat, ticket.issuedAt.millis]
                )
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func declare(_ relation: StaffRelation, at: Date, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO staff_relation (staff_id, candidate_id, kind, declared_at) VALUES (?, ?, ?, ?)",
                arguments: [relation.staff.rawValue, relation.candidate.rawValue, relation.kind.rawValue, at.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func relations() async throws -> [StaffRelation] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT staff_id, candidate_id, kind FROM staff_relation ORDER BY staff_id, candidate_id").compactMap { row in
                RelationKind(rawValue: row["kind"]).map {
                    StaffRelation(staff: AccountID(rawValue: row["staff_id"]), candidate: AccountID(rawValue: row["candidate_id"]), kind: $0)
                }
            }
        }
    }

    func tickets(sitting: String) async throws -> [TicketRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ticket WHERE sitting_id = ? ORDER BY room, seat", arguments: [sitting]).map(Self.ticket)
        }
    }

    func tickets(candidate: AccountID) async throws -> [TicketRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT t.* FROM ticket t JOIN sitting s ON s.id = t.sitting_id WHERE t.candidate_id = ? ORDER BY s.starts_at",
                arguments: [candidate.rawValue]
            ).map(Self.ticket)
        }
    }

    func ticket(code: String) async throws -> TicketRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM ticket WHERE code = ?", arguments: [code]).map(Self.ticket) }
    }

    static func ticket(_ row: Row) -> TicketRecord {
        TicketRecord(
            code: row["code"], sittingID: row["sitting_id"], candidate: AccountID(rawValue: row["candidate_id"]), room: row["room"], seat: row["seat"],
            issuedAt: Date(millis: row["issued_at"])
        )
    }

    private static func requireDraft(_ id: String, _ db: Database) throws {
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM sitting WHERE id = ?", arguments: [id]) else {
            throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)")
        }
        guard status == "draft" else {
            throw ExamError(.conflict, code: "already_published", message: "场次 \(id) 已发布，不能再修改 (the sitting is published)")
        }
    }

    static func record(_ row: Row) throws -> SittingRecord {
        let plan: String = row["plan"]
        let published: Int64? = row["published_at"]
        return SittingRecord(
            id: row["id"], occupation: OccupationCode(rawValue: row["occupation"]), level: Level(rawValue: row["level"]) ?? .junior,
            direction: row["direction"], part: ExamPart(rawValue: row["part"]) ?? .theory, startsAt: Date(millis: row["starts_at"]),
            durationMinutes: row["duration_minutes"], venue: row["venue"],
            plan: try JSONDecoder().decode(SittingPlan.self, from: Data(plan.utf8)), status: SittingRecord.Status(rawValue: row["status"]) ?? .draft,
            createdBy: row["created_by"], createdAt: Date(millis: row["created_at"]), publishedAt: published.map(Date.init(millis:))
        )
    }
}
