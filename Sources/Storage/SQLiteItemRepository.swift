import Audit
import ExamCore
import Foundation
import GRDB
import ItemBank

struct SQLiteItemRepository: ItemRepository {
    let database: SQLiteDatabase

    func bankKey() async throws -> BankKeyRecord? {
        try await database.read { db in
            try Row.fetchOne(
                db, sql: "SELECT bank_id, threshold, custodians, public_key, wrapped_private_key, kek_version FROM bank_key WHERE id = 1"
            ).map {
                BankKeyRecord(
                    bankID: $0["bank_id"], threshold: $0["threshold"], custodians: $0["custodians"], publicKey: $0["public_key"],
                    wrappedPrivateKey: $0["wrapped_private_key"], kekVersion: $0["kek_version"]
                )
            }
        }
    }

    func createBankKey(_ record: BankKeyRecord, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM bank_key") ?? 0 > 0 {
                throw ExamError(.conflict, code: "already_initialised", message: "the item bank already has its keys")
            }
            try db.execute(
                sql: """
                    INSERT INTO bank_key (id, bank_id, threshold, custodians, public_key, wrapped_private_key, kek_version, created_at)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [record.bankID, record.threshold, record.custodians, record.publicKey, record.wrappedPrivateKey,
                            record.kekVersion, database.clock.now().millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func importItems(_ items: [NewItemVersion], audit: AuditEvent) async throws {
        let database = database
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rows = try items.map { ($0, String(decoding: try encoder.encode($0.metadata), as: UTF8.self)) }
        try await database.write { db in
            let ids = items.map(\.metadata.id.rawValue)
            var existing: [String] = []
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                existing += try String.fetchAll(db, sql: "SELECT id FROM item WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
            }
            if !existing.isEmpty {
                throw ExamError(
                    .conflict, code: "duplicate_item",
                    message: "these items already exist: \(existing.sorted().prefix(20).joined(separator: ", "))\(existing.count > 20 ? " …" : "")"
                )
            }
            let now = database.clock.now().millis
            for (item, metadata) in rows {
                try db.execute(
                    sql: """
                        INSERT INTO item (id, occupation, type, status, current_version, active_version, author, created_at, updated_at)
                        VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)
                        """,
                    arguments: [item.metadata.id.rawValue, item.metadata.occupation.rawValue, item.metadata.type.rawValue,
                                item.status.rawValue, item.status == .active || item.status == .retired ? 1 : nil, item.author, now, now]
                )
                try db.execute(
                    sql: """
                        INSERT INTO item_version (item_id, version, metadata, ciphertext, wrapped_key, encapsulated_key, kek_version, author, created_at)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [item.metadata.id.rawValue, metadata, item.sealed.ciphertext, item.sealed.wrappedKey,
                                item.sealed.encapsulatedKey, item.sealed.kekVersion, item.author, now]
                )
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func items(_ filter: ItemFilter) async throws -> [ItemSummary] {
        let rows = try await database.read { db in
            var conditions: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let occupation = filter.occupation {
                conditions.append("i.occupation = ?")
                arguments.append(occupation.rawValue)
            }
            if let status = filter.status {
                conditions.append("i.status = ?")
                arguments.append(status.rawValue)
            }
            if filter.usable {
                conditions.append("i.active_version IS NOT NULL AND i.status <> 'retired'")
            }
            let condition = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
            let described = filter.usable ? "i.active_version" : "i.current_version"
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT i.status, i.current_version, i.active_version, i.author, i.exposure_count, v.metadata
                    FROM item i JOIN item_version v ON v.item_id = i.id AND v.version = \(described)
                    WHERE \(condition) ORDER BY i.id
                    """,
                arguments: StatementArguments(arguments)
            ).map { row -> (String, Int, Int?, String, Int, String) in
                (row["status"], row["current_version"], row["active_version"], row["author"], row["exposure_count"], row["metadata"])
            }
        }
        let decoder = JSONDecoder()
        var result: [ItemSummary] = []
        for (status, version, activeVersion, author, exposure, metadataText) in rows {
            let metadata = try decoder.decode(ItemMetadata.self, from: Data(metadataText.utf8))
            if let level = filter.level, !metadata.levels.contains(level) { continue }
            if let point = filter.point, metadata.point != point { continue }
            result.append(ItemSummary(
                metadata: metadata, status: ItemStatus(rawValue: status) ?? .draft, version: version, activeVersion: activeVersion,
                author: author, exposureCount: exposure
            ))
            if result.count >= filter.limit { break }
        }
        return result
    }

    func version(of id: ItemID, version: Int?) async throws -> StoredItemVersion? {
        try await database.read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT i.status, i.current_version, i.active_version, i.author AS item_author, i.exposure_count, v.version, v.metadata,
                           v.ciphertext, v.wrapped_key, v.encapsulated_key, v.kek_version
                    FROM item i JOIN item_version v ON v.item_id = i.id
                    WHERE i.id = ? AND v.version = coalesce(?, i.current_version)
                    """,
                arguments: [id.rawValue, version]
            ) else { return nil }
            let metadataText: String = row["metadata"]
            let metadata = try JSONDecoder().decode(ItemMetadata.self, from: Data(metadataText.utf8))
            let summary = ItemSummary(
                metadata: metadata, status: ItemStatus(rawValue: row["status"]) ?? .draft, version: row["current_version"],
                activeVersion: row["active_version"], author: row["item_author"], exposureCount: row["exposure_count"]
            )
            return StoredItemVersion(
                summary: summary, version: row["version"],
                sealed: SealedItemVersion(
                    ciphertext: row["ciphertext"], wrappedKey: row["wrapped_key"], encapsulatedKey: row["encapsulated_key"],
                    kekVersion: row["kek_version"]
                )
            )
        }
    }

    func sealedVersions() async throws -> [(id: ItemID, version: Int, sealed: SealedItemVersion)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT item_id, version, ciphertext, wrapped_key, encapsulated_key, kek_version FROM item_version ORDER BY item_id, version")
                .map { row in
                    (
                        ItemID(rawValue: row["item_id"]), row["version"],
                        SealedItemVersion(
                            ciphertext: row["ciphertext"], wrappedKey: row["wrapped_key"], encapsulatedKey: row["encapsulated_key"],
                            kekVersion: row["kek_version"]
                        )
                    )
                }
        }
    }

    func rotateBankKey(
        from old: BankKeyRecord, to new: BankKeyRecord, rewrapped: [(id: ItemID, version: Int, sealed: SealedItemVersion)],
        papers: [(id: String, sealed: SealedItemVersion)], audit: AuditEvent
    ) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: "UPDATE bank_key SET public_key = ?, wrapped_private_key = ?, kek_version = ? WHERE id = 1 AND kek_version = ?",
                arguments: [new.publicKey, new.wrappedPrivateKey, new.kekVersion, old.kekVersion]
            )
            guard db.changesCount == 1 else {
                throw ExamError(.conflict, code: "conflict", message: "the bank key changed while rotating; nothing was changed")
            }
            for item in rewrapped {
                try db.execute(
                    sql: "UPDATE item_version SET wrapped_key = ?, encapsulated_key = ?, kek_version = ? WHERE item_id = ? AND version = ?",
                    arguments: [item.sealed.wrappedKey, item.sealed.encapsulatedKey, item.sealed.kekVersion, item.id.rawValue, item.version]
                )
            }
            for paper in papers {
                try db.execute(
                    sql: "UPDATE paper SET wrapped_key = ?, encapsulated_key = ?, kek_version = ? WHERE id = ?",
                    arguments: [paper.sealed.wrappedKey, paper.sealed.encapsulatedKey, paper.sealed.kekVersion, paper.id]
                )
            }
            let stale = try Int.fetchOne(db, sql: "SELECT count(*) FROM item_version WHERE kek_version <> ?", arguments: [new.kekVersion]) ?? 0
            let stalePapers = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM paper WHERE ciphertext IS NOT NULL AND kek_version <> ?", arguments: [new.kekVersion]
            ) ?? 0
            guard stale == 0, stalePapers == 0 else {
                throw ExamError(.conflict, code: "conflict", message: "\(stale) item version(s) and \(stalePapers) paper(s) were not re-wrapped; nothing was changed")
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func count() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") ?? 0 }
    }
}
