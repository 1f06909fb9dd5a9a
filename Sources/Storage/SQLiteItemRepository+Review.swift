import Audit
import ExamCore
import Foundation
import GRDB
import ItemBank

extension SQLiteItemRepository {
    func setStatus(_ id: ItemID, from: ItemStatus, to: ItemStatus, review: ItemReview?, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            let now = database.clock.now().millis
            try db.execute(
                sql: """
                    UPDATE item SET status = ?, updated_at = ?,
                        active_version = CASE WHEN ? = 'active' THEN current_version ELSE active_version END
                    WHERE id = ? AND status = ?
                    """,
                arguments: [to.rawValue, now, to.rawValue, id.rawValue, from.rawValue]
            )
            guard db.changesCount == 1 else {
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM item WHERE id = ?", arguments: [id.rawValue]) == 0 {
                    throw ExamError(.notFound, code: "not_found", message: "no such item")
                }
                throw ExamError(.conflict, code: "wrong_status", message: "the item is no longer \(from.rawValue)")
            }
            if let review {
                try db.execute(
                    sql: "INSERT INTO item_review (item_id, version, reviewer, decision, comment, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [id.rawValue, review.version, review.reviewer, review.approved ? "approve" : "reject", review.comment,
                                review.decidedAt.millis]
                )
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func addVersion(_ item: NewItemVersion, audit: AuditEvent) async throws -> Int {
        let database = database
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = String(decoding: try encoder.encode(item.metadata), as: UTF8.self)
        return try await database.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT current_version, status FROM item WHERE id = ?", arguments: [item.metadata.id.rawValue]
            ) else {
                throw ExamError(.notFound, code: "not_found", message: "no such item")
            }
            let status: String = row["status"]
            guard status == ItemStatus.draft.rawValue || status == ItemStatus.active.rawValue else {
                throw ExamError(.conflict, code: "wrong_status", message: "only drafts and active items are revised (this item is \(status))")
            }
            let current: Int = row["current_version"]
            let next = current + 1
            let now = database.clock.now().millis
            try db.execute(
                sql: """
                    INSERT INTO item_version (item_id, version, metadata, ciphertext, wrapped_key, encapsulated_key, kek_version, author, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [item.metadata.id.rawValue, next, metadata, item.sealed.ciphertext, item.sealed.wrappedKey,
                            item.sealed.encapsulatedKey, item.sealed.kekVersion, item.author, now]
            )
            try db.execute(
                sql: "UPDATE item SET current_version = ?, status = 'draft', updated_at = ? WHERE id = ?",
                arguments: [next, now, item.metadata.id.rawValue]
            )
            _ = try database.appendAudit(audit, in: db)
            return next
        }
    }

    func reviews(of id: ItemID) async throws -> [ItemReview] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT version, reviewer, decision, comment, decided_at FROM item_review WHERE item_id = ? ORDER BY decided_at",
                arguments: [id.rawValue]
            ).map { row in
                let decision: String = row["decision"]
                return ItemReview(
                    version: row["version"], reviewer: row["reviewer"], approved: decision == "approve", comment: row["comment"],
                    decidedAt: Date(millis: row["decided_at"])
                )
            }
        }
    }
}
