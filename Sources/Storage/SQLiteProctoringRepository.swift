import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteProctoringRepository: ProctoringRepository {
    let database: SQLiteDatabase

    private static func event(_ row: Row) -> ProctorEventRecord {
        ProctorEventRecord(
            id: row["id"], candidate: row["candidate_id"], seq: row["seq"], kind: row["kind"], detail: row["detail"],
            source: row["source"], actor: row["actor"], at: Date(millis: row["at"])
        )
    }

    func feed(_ sitting: String, after: Int64, limit: Int) async throws -> [ProctorEventRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM proctor_event WHERE sitting_id = ? AND id > ? ORDER BY id LIMIT ?", arguments: [sitting, after, limit]
            ).map(Self.event)
        }
    }

    func events(_ sitting: String, ids: [Int64]) async throws -> [ProctorEventRecord] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM proctor_event WHERE sitting_id = ? AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))",
                arguments: StatementArguments([sitting as any DatabaseValueConvertible] + ids.map { $0 as any DatabaseValueConvertible })
            ).map(Self.event)
        }
    }

    func eventCounts(_ sitting: String, source: String?) async throws -> [String: [String: Int]] {
        try await database.read { db in
            var counts: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT candidate_id, kind, COUNT(*) AS n FROM proctor_event
                    WHERE sitting_id = ?1 AND (?2 IS NULL OR source = ?2) AND candidate_id IS NOT NULL GROUP BY candidate_id, kind
                    """, arguments: [sitting, source]
            ) {
                counts[row["candidate_id"], default: [:]][row["kind"]] = row["n"]
            }
            return counts
        }
    }

    func latest(_ sitting: String, kind: String) async throws -> [String: String] {
        try await database.read { db in
            var latest: [String: String] = [:]
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT candidate_id, detail FROM proctor_event WHERE id IN (
                        SELECT MAX(id) FROM proctor_event WHERE sitting_id = ? AND kind = ? AND candidate_id IS NOT NULL GROUP BY candidate_id)
                    """, arguments: [sitting, kind]
            ) {
                latest[row["candidate_id"]] = row["detail"] ?? ""
            }
            return latest
        }
    }

    func candidates(_ sitting: String, withEvent kind: String) async throws -> Set<String> {
        try await database.read { db in
            Set(try String.fetchAll(
                db, sql: "SELECT DISTINCT candidate_id FROM proctor_event WHERE sitting_id = ? AND kind = ? AND candidate_id IS NOT NULL",
                arguments: [sitting, kind]
            ))
        }
    }

    private static func insertEvent(
        _ db: Database, sitting: String, candidate: String?, kind: String, detail: String?, source: String, actor: String?, at: Date
    ) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO proctor_event (sitting_id, candidate_id, seq, kind, detail, source, actor, at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
            arguments: [sitting, candidate, kind, detail, source, actor, at.millis]
        )
        return db.lastInsertedRowID
    }

    func recordStaffEvent(sitting: String, candidate: String?, kind: String, detail: String?, actor: String, at: Date, audit: AuditEvent) async throws -> Int64 {
        let database = database
        return try await database.write { db in
            let id = try Self.insertEvent(db, sitting: sitting, candidate: candidate, kind: kind, detail: detail, source: "staff", actor: actor, at: at)
            _ = try database.appendAudit(audit, in: db)
            return id
        }
    }

    func storeSnapshot(sitting: String, candidate: String, takenAt: Date, bytes: Int, sealed: SealedBlob) async throws -> Int64 {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO proctor_snapshot (sitting_id, candidate_id, taken_at, bytes, wrapped_key, box) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [sitting, candidate, takenAt.millis, bytes, sealed.wrappedKey, sealed.box]
            )
            return db.lastInsertedRowID
        }
    }

    private static func snapshotInfo(_ row: Row) -> SnapshotInfo {
        SnapshotInfo(id: row["id"], candidate: row["candidate_id"], takenAt: Date(millis: row["taken_at"]), bytes: row["bytes"])
    }

    func snapshots(_ sitting: String, candidate: String?) async throws -> [SnapshotInfo] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT id, candidate_id, taken_at, bytes FROM proctor_snapshot
                    WHERE sitting_id = ?1 AND (?2 IS NULL OR candidate_id = ?2) ORDER BY taken_at, id
                    """, arguments: [sitting, candidate]
            ).map(Self.snapshotInfo)
        }
    }

    func latestSnapshots(_ sitting: String) async throws -> [String: SnapshotInfo] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT id, candidate_id, taken_at, bytes FROM proctor_snapshot WHERE id IN (
                        SELECT MAX(id) FROM proctor_snapshot WHERE sitting_id = ? GROUP BY candidate_id)
                    """, arguments: [sitting]
            )
            return Dictionary(rows.map { (($0["candidate_id"] as String), Self.snapshotInfo($0)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    func snapshot(id: Int64) async throws -> (info: SnapshotInfo, sitting: String, sealed: SealedBlob)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM proctor_snapshot WHERE id = ?", arguments: [id]).map {
                (info: Self.snapshotInfo($0), sitting: $0["sitting_id"], sealed: SealedBlob(wrappedKey: $0["wrapped_key"], box: $0["box"]))
            }
        }
    }

    func recordMisconduct(_ record: MisconductRecord, audit: AuditEvent) async throws -> Int64 {
        let database = database
        return try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO misconduct (sitting_id, candidate_id, tier, points, ban_years, reason, evidence, terminated, decided_by, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.sitting, record.candidate, record.tier.rawValue, record.points, record.banYears, record.reason,
                    try SQLiteDeliveryRepository.text(record.evidence), record.terminated, record.decidedBy, record.decidedAt.millis,
                ]
            )
            let id = db.lastInsertedRowID
            _ = try Self.insertEvent(
                db, sitting: record.sitting, candidate: record.candidate, kind: "misconduct", detail: "\(record.tier.chineseName)：\(record.reason)",
                source: "staff", actor: record.decidedBy, at: record.decidedAt
            )
            _ = try database.appendAudit(audit, in: db)
            return id
        }
    }

    func misconduct(_ sitting: String) async throws -> [MisconductRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM misconduct WHERE sitting_id = ? ORDER BY id", arguments: [sitting]).map { row in
                MisconductRecord(
                    id: row["id"], sitting: row["sitting_id"], candidate: row["candidate_id"],
                    tier: MisconductTier(rawValue: row["tier"]) ?? .warning, points: row["points"], banYears: row["ban_years"], reason: row["reason"],
                    evidence: try SQLiteDeliveryRepository.decoder.decode(MisconductRecord.Evidence.self, from: Data((row["evidence"] as String).utf8)),
                    terminated: row["terminated"], decidedBy: row["decided_by"], decidedAt: Date(millis: row["decided_at"])
                )
            }
        }
    }

    func addNote(_ note: SupervisionNote, audit: AuditEvent) async throws -> Int64 {
        let database = database
        return try await database.write { db in
            try db.execute(
                sql: "INSERT INTO supervision_note (sitting_id, candidate_id, author, text, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [note.sitting, note.candidate, note.author, note.text, note.at.millis]
            )
            let id = db.lastInsertedRowID
            _ = try database.appendAudit(audit, in: db)
            return id
        }
    }

    func notes(_ sitting: String) async throws -> [SupervisionNote] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM supervision_note WHERE sitting_id = ? ORDER BY at, id", arguments: [sitting]).map {
                SupervisionNote(id: $0["id"], sitting: $0["sitting_id"], candidate: $0["candidate_id"], author: $0["author"], text: $0["text"], at: Date(millis: $0["at"]))
            }
        }
    }

    func storeFile(_ file: AnswerFileInfo, sealed: SealedBlob) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO answer_file (id, sitting_id, candidate_id, item_key, name, media_type, bytes, sha256, wrapped_key, box, uploaded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    file.id, file.sitting, file.candidate, file.item, file.name, file.mediaType, file.bytes, file.sha256,
                    sealed.wrappedKey, sealed.box, file.uploadedAt.millis,
                ]
            )
        }
    }

    private static func fileInfo(_ row: Row) -> AnswerFileInfo {
        AnswerFileInfo(
            id: row["id"], sitting: row["sitting_id"], candidate: row["candidate_id"], item: row["item_key"], name: row["name"],
            mediaType: row["media_type"], bytes: row["bytes"], sha256: row["sha256"], uploadedAt: Date(millis: row["uploaded_at"])
        )
    }

    func files(_ sitting: String, candidate: String) async throws -> [AnswerFileInfo] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT id, sitting_id, candidate_id, item_key, name, media_type, bytes, sha256, uploaded_at FROM answer_file
                    WHERE sitting_id = ? AND candidate_id = ? ORDER BY uploaded_at, id
                    """, arguments: [sitting, candidate]
            ).map(Self.fileInfo)
        }
    }

    func file(id: String) async throws -> (info: AnswerFileInfo, sealed: SealedBlob)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM answer_file WHERE id = ?", arguments: [id]).map {
                (info: Self.fileInfo($0), sealed: SealedBlob(wrappedKey: $0["wrapped_key"], box: $0["box"]))
            }
        }
    }
}
