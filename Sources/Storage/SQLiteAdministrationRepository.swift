import Accounts
import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteEvidenceRepository: EvidenceRepository {
    let database: SQLiteDatabase

    func add(_ evidence: EvidenceRecord, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO evidence (id, owner_id, kind, content_type, file_name, size, sha256, wrapped_key, box, uploaded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [evidence.id, evidence.owner.rawValue, evidence.kind, evidence.contentType, evidence.fileName, evidence.size, evidence.sha256,
                            evidence.wrappedKey, evidence.box, evidence.uploadedAt.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func evidence(owner: AccountID) async throws -> [EvidenceRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM evidence WHERE owner_id = ? AND deleted_at IS NULL ORDER BY uploaded_at, id", arguments: [owner.rawValue]
            ).map(Self.record)
        }
    }

    func evidence(id: String) async throws -> EvidenceRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM evidence WHERE id = ? AND deleted_at IS NULL", arguments: [id]).map(Self.record)
        }
    }

    func withdraw(_ id: String, at: Date, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(sql: "UPDATE evidence SET deleted_at = ?, box = x'', wrapped_key = x'' WHERE id = ? AND deleted_at IS NULL", arguments: [at.millis, id])
            guard db.changesCount == 1 else { throw ExamError(.notFound, code: "not_found", message: "no evidence \(id)") }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func record(_ audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in _ = try database.appendAudit(audit, in: db) }
    }

    static func record(_ row: Row) -> EvidenceRecord {
        EvidenceRecord(
            id: row["id"], owner: AccountID(rawValue: row["owner_id"]), kind: row["kind"], contentType: row["content_type"], fileName: row["file_name"],
            size: row["size"], sha256: row["sha256"], wrappedKey: row["wrapped_key"], box: row["box"], uploadedAt: Date(millis: row["uploaded_at"])
        )
    }
}

struct SQLitePlanRepository: PlanRepository {
    let database: SQLiteDatabase

    private static func dates(_ dates: [String]) throws -> String { String(decoding: try JSONEncoder().encode(dates), as: UTF8.self) }

    func create(_ plan: PlanRecord, audit: AuditEvent) async throws {
        let database = database
        let dates = try Self.dates(plan.dates)
        try await database.write { db in
            try Self.requireUnique(plan, db)
            try db.execute(
                sql: """
                    INSERT INTO exam_plan (id, year, occupation, level, direction, expected_candidates, dates, note, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [plan.id, plan.year, plan.occupation.rawValue, plan.level.rawValue, plan.direction, plan.expectedCandidates, dates, plan.note,
                            plan.createdBy, plan.createdAt.millis, plan.updatedAt.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func update(_ plan: PlanRecord, audit: AuditEvent) async throws {
        let database = database
        let dates = try Self.dates(plan.dates)
        try await database.write { db in
            try Self.requireUnique(plan, db)
            try db.execute(
                sql: """
                    UPDATE exam_plan SET year = ?, occupation = ?, level = ?, direction = ?, expected_candidates = ?, dates = ?, note = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [plan.year, plan.occupation.rawValue, plan.level.rawValue, plan.direction, plan.expectedCandidates, dates, plan.note,
                            plan.updatedAt.millis, plan.id]
            )
            guard db.changesCount == 1 else { throw ExamError(.notFound, code: "not_found", message: "no plan \(plan.id)") }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func delete(_ id: String, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(sql: "DELETE FROM exam_plan WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw ExamError(.notFound, code: "not_found", message: "no plan \(id)") }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func plan(id: String) async throws -> PlanRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM exam_plan WHERE id = ?", arguments: [id]).map(Self.record) }
    }

    func plans(year: Int?) async throws -> [PlanRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM exam_plan WHERE ?1 IS NULL OR year = ?1 ORDER BY year, occupation, level, COALESCE(direction, '')",
                arguments: [year]
            ).map(Self.record)
        }
    }

    private static func requireUnique(_ plan: PlanRecord, _ db: Database) throws {
        let clash = try String.fetchOne(
            db,
            sql: "SELECT id FROM exam_plan WHERE year = ? AND occupation = ? AND level = ? AND COALESCE(direction, '') = ? AND id <> ?",
            arguments: [plan.year, plan.occupation.rawValue, plan.level.rawValue, plan.direction ?? "", plan.id]
        )
        if let clash {
            throw ExamError(
                .conflict, code: "duplicate_plan",
                message: "\(plan.year)年已有该职业、等级\(plan.direction.map { "、方向（\($0)）" } ?? "")的计划 \(clash) (the year already plans this exam; edit that row)"
            )
        }
    }

    static func record(_ row: Row) throws -> PlanRecord {
        let dates: String = row["dates"]
        return PlanRecord(
            id: row["id"], year: row["year"], occupation: OccupationCode(rawValue: row["occupation"]), level: Level(rawValue: row["level"]) ?? .junior,
            direction: row["direction"], expectedCandidates: row["expected_candidates"],
            dates: try JSONDecoder().decode([String].self, from: Data(dates.utf8)), note: row["note"], createdBy: row["created_by"],
            createdAt: Date(millis: row["created_at"]), updatedAt: Date(millis: row["updated_at"])
        )
    }
}
