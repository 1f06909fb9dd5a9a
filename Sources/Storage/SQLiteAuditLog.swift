import Audit
import ExamCore
import Foundation
import GRDB

/// The audit chain in SQLite. Appends are serialised by SQLite's single writer, so the chain
/// never forks; each append commits together with the change it records.
struct SQLiteAuditLog: AuditLog {
    let database: SQLiteDatabase

    func append(_ event: AuditEvent) async throws -> AuditEntry {
        let database = database
        return try await database.write { db in try database.appendAudit(event, in: db) }
    }

    func entries(after seq: Int64, limit: Int) async throws -> [AuditEntry] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, time_ms, actor, action, subject, payload, prev_hash, hash
                    FROM audit_entry WHERE seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [seq, limit]
            ).map(AuditEntry.init(row:))
        }
    }

    func checkpoints() async throws -> [AuditCheckpoint] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, hash, time_ms, key_id, signature FROM audit_checkpoint ORDER BY seq")
                .map(AuditCheckpoint.init(row:))
        }
    }

    func checkpoint() async throws -> AuditCheckpoint? {
        let database = database
        return try await database.write { db in
            guard let head = try database.auditHead(db) else { return nil }
            if let existing = try Row.fetchOne(
                db, sql: "SELECT seq, hash, time_ms, key_id, signature FROM audit_checkpoint WHERE seq = ?", arguments: [head.seq]
            ) {
                return AuditCheckpoint(row: existing)
            }
            return try database.writeCheckpoint(after: head, in: db)
        }
    }

    func count() async throws -> Int64 {
        try await database.read { db in try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") ?? 0 }
    }

    func signingKeys() async throws -> [String: String] {
        try await database.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT key_id, public_key FROM signing_key").map { ($0["key_id"], $0["public_key"]) },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }
}

extension SQLiteDatabase {
    /// Appends an audit entry inside the caller's write transaction.
    func appendAudit(_ event: AuditEvent, in db: Database) throws -> AuditEntry {
        let head = try auditHead(db)
        let entry = AuditEntry(
            seq: (head?.seq ?? 0) + 1, time: clock.now(), event: event, previousHash: head?.hash ?? AuditChain.genesisHash
        )
        try db.execute(
            sql: """
                INSERT INTO audit_entry (seq, time_ms, actor, action, subject, payload, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [entry.seq, entry.timeMillis, entry.actor, entry.action, entry.subject, entry.payloadText,
                        entry.previousHash, entry.hash]
        )
        if entry.seq % AuditChain.checkpointInterval == 0 {
            try writeCheckpoint(after: entry, in: db)
        }
        return entry
    }

    func auditHead(_ db: Database) throws -> AuditEntry? {
        try Row.fetchOne(
            db,
            sql: "SELECT seq, time_ms, actor, action, subject, payload, prev_hash, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
        ).map(AuditEntry.init(row:))
    }

    @discardableResult
    func writeCheckpoint(after head: AuditEntry, in db: Database) throws -> AuditCheckpoint? {
        guard let signingKey else { return nil }
        let checkpoint = try signingKey.checkpoint(for: head, at: clock.now())
        try db.execute(
            sql: "INSERT OR IGNORE INTO audit_checkpoint (seq, hash, time_ms, key_id, signature) VALUES (?, ?, ?, ?, ?)",
            arguments: [checkpoint.seq, checkpoint.hash, checkpoint.timeMillis, checkpoint.keyID, checkpoint.signature]
        )
        return checkpoint
    }
}

extension AuditCheckpoint {
    init(row: Row) {
        self.init(seq: row["seq"], hash: row["hash"], timeMillis: row["time_ms"], keyID: row["key_id"], signature: row["signature"])
    }
}

extension AuditEntry {
    init(row: Row) {
        self.init(
            seq: row["seq"], timeMillis: row["time_ms"], actor: row["actor"], action: row["action"],
            subject: row["subject"], payloadText: row["payload"], previousHash: row["prev_hash"], hash: row["hash"]
        )
    }
}
