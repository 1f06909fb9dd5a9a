import Audit
import ExamCore
import Foundation
import GRDB
import ItemBank

struct SQLitePaperRepository: PaperRepository {
    let database: SQLiteDatabase

    func create(_ assembly: PaperAssemblyRecord, papers: [PaperRecord], replacing: String?, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            let now = database.clock.now().millis
            if let replacing { try Self.discard(replacing, db, now: now) }
            try db.execute(
                sql: """
                    INSERT INTO paper_assembly (id, occupation, level, direction, part, forms, seed, moves, blueprint_sha256, report, status,
                                                created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [assembly.id, assembly.occupation.rawValue, assembly.level.rawValue, assembly.direction.name, assembly.part.rawValue,
                            assembly.forms, Int64(bitPattern: assembly.seed), assembly.moves, assembly.blueprintSHA256, assembly.report,
                            assembly.status.rawValue, assembly.createdBy, assembly.createdAt.millis, now]
            )
            for paper in papers {
                try db.execute(
                    sql: "INSERT INTO paper (id, assembly_id, form, total_points, difficulty_mean) VALUES (?, ?, ?, ?, ?)",
                    arguments: [paper.id, assembly.id, paper.form, paper.totalPoints, paper.difficultyMean]
                )
                for (position, item) in paper.items.enumerated() {
                    // The pinned version must still be the approved one of an item in use.
                    let usable = try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM item WHERE id = ? AND active_version = ? AND status <> 'retired'",
                        arguments: [item.itemID.rawValue, item.version]
                    ) ?? false
                    guard usable else {
                        throw ExamError(
                            .conflict, code: "item_changed",
                            message: "item \(item.itemID) v\(item.version) is no longer in use at that version; assemble again"
                        )
                    }
                    try db.execute(
                        sql: "INSERT INTO paper_item (paper_id, position, item_id, version, points) VALUES (?, ?, ?, ?, ?)",
                        arguments: [paper.id, position, item.itemID.rawValue, item.version, item.points]
                    )
                    try db.execute(sql: "UPDATE item SET exposure_count = exposure_count + 1 WHERE id = ?", arguments: [item.itemID.rawValue])
                }
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func assemblies() async throws -> [PaperAssemblyRecord] {
        try await database.read { db in try Self.fetchAssemblies(db, where: "1 = 1", []) }
    }

    func assembly(id: String) async throws -> PaperAssemblyRecord? {
        try await database.read { db in try Self.fetchAssemblies(db, where: "id = ?", [id]).first }
    }

    func papers(of assemblyID: String) async throws -> [PaperRecord] {
        try await database.read { db in try Self.fetchPapers(db, where: "assembly_id = ?", [assemblyID]) }
    }

    func paper(id: String) async throws -> PaperRecord? {
        try await database.read { db in try Self.fetchPapers(db, where: "id = ?", [id]).first }
    }

    func seal(_ assemblyID: String, sealed: [String: SealedItemVersion], audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            let now = database.clock.now().millis
            try Self.move(assemblyID, from: [.assembled], to: .sealed, db, now: now)
            let ids = try String.fetchAll(db, sql: "SELECT id FROM paper WHERE assembly_id = ?", arguments: [assemblyID])
            guard Set(ids) == Set(sealed.keys) else {
                throw ExamError(.conflict, code: "conflict", message: "every paper of \(assemblyID) must be sealed together; nothing was changed")
            }
            for (id, box) in sealed {
                try db.execute(
                    sql: "UPDATE paper SET ciphertext = ?, wrapped_key = ?, encapsulated_key = ?, kek_version = ?, sealed_at = ? WHERE id = ?",
                    arguments: [box.ciphertext, box.wrappedKey, box.encapsulatedKey, box.kekVersion, now, id]
                )
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func release(_ paperID: String, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            let now = database.clock.now().millis
            guard let assemblyID = try String.fetchOne(db, sql: "SELECT assembly_id FROM paper WHERE id = ?", arguments: [paperID]) else {
                throw ExamError(.notFound, code: "not_found", message: "no paper \(paperID)")
            }
            try Self.move(assemblyID, from: [.sealed, .released], to: .released, db, now: now)
            try db.execute(sql: "UPDATE paper SET released_at = coalesce(released_at, ?) WHERE id = ?", arguments: [now, paperID])
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func discard(_ assemblyID: String, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try Self.discard(assemblyID, db, now: database.clock.now().millis)
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func sealedPapers() async throws -> [(id: String, sealed: SealedItemVersion)] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, ciphertext, wrapped_key, encapsulated_key, kek_version FROM paper WHERE ciphertext IS NOT NULL ORDER BY id"
            ).map { row in
                (id: row["id"], sealed: SealedItemVersion(
                    ciphertext: row["ciphertext"], wrappedKey: row["wrapped_key"], encapsulatedKey: row["encapsulated_key"], kekVersion: row["kek_version"]
                ))
            }
        }
    }

    // MARK: Helpers

    private static func discard(_ assemblyID: String, _ db: Database, now: Int64) throws {
        try move(assemblyID, from: [.assembled, .sealed], to: .discarded, db, now: now)
        try db.execute(
            sql: """
                UPDATE item SET exposure_count = max(0, exposure_count - (
                    SELECT count(*) FROM paper_item pi JOIN paper p ON p.id = pi.paper_id WHERE p.assembly_id = ? AND pi.item_id = item.id))
                WHERE id IN (SELECT pi.item_id FROM paper_item pi JOIN paper p ON p.id = pi.paper_id WHERE p.assembly_id = ?)
                """,
            arguments: [assemblyID, assemblyID]
        )
    }

    private static func move(_ assemblyID: String, from: Set<PaperStatus>, to: PaperStatus, _ db: Database, now: Int64) throws {
        guard let current = try String.fetchOne(db, sql: "SELECT status FROM paper_assembly WHERE id = ?", arguments: [assemblyID])
            .flatMap(PaperStatus.init(rawValue:))
        else {
            throw ExamError(.notFound, code: "not_found", message: "no assembly \(assemblyID)")
        }
        guard from.contains(current) else {
            if current == .released {
                throw ExamError(.conflict, code: "already_released", message: "\(assemblyID) was released to a sitting: it can no longer be changed, reassembled or discarded")
            }
            throw ExamError(.conflict, code: "wrong_status", message: "\(assemblyID) is \(current.rawValue)")
        }
        try db.execute(sql: "UPDATE paper_assembly SET status = ?, updated_at = ? WHERE id = ?", arguments: [to.rawValue, now, assemblyID])
    }

    private static func fetchAssemblies(_ db: Database, where condition: String, _ arguments: [String]) throws -> [PaperAssemblyRecord] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM paper_assembly WHERE \(condition) ORDER BY created_at DESC, id DESC", arguments: StatementArguments(arguments)
        ).map { row in
            let seed: Int64 = row["seed"]
            return PaperAssemblyRecord(
                id: row["id"], occupation: OccupationCode(rawValue: row["occupation"]), level: Level(rawValue: row["level"]) ?? .junior,
                direction: Direction(row["direction"]), part: ExamPart(rawValue: row["part"]) ?? .theory, forms: row["forms"],
                seed: UInt64(bitPattern: seed), moves: row["moves"], blueprintSHA256: row["blueprint_sha256"], report: row["report"],
                status: PaperStatus(rawValue: row["status"]) ?? .discarded, createdBy: row["created_by"], createdAt: Date(millis: row["created_at"])
            )
        }
    }

    private static func fetchPapers(_ db: Database, where condition: String, _ arguments: [String]) throws -> [PaperRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM paper WHERE \(condition) ORDER BY assembly_id, form", arguments: StatementArguments(arguments)).map { row in
            let id: String = row["id"]
            let items = try Row.fetchAll(
                db, sql: "SELECT item_id, version, points FROM paper_item WHERE paper_id = ? ORDER BY position", arguments: [id]
            ).map { PaperItemRef(itemID: ItemID(rawValue: $0["item_id"]), version: $0["version"], points: $0["points"]) }
            let ciphertext: Data? = row["ciphertext"]
            let sealedAt: Int64? = row["sealed_at"]
            let releasedAt: Int64? = row["released_at"]
            return PaperRecord(
                id: id, assemblyID: row["assembly_id"], form: row["form"], totalPoints: row["total_points"], difficultyMean: row["difficulty_mean"],
                items: items,
                sealed: ciphertext.map {
                    SealedItemVersion(ciphertext: $0, wrappedKey: row["wrapped_key"], encapsulatedKey: row["encapsulated_key"], kekVersion: row["kek_version"])
                },
                sealedAt: sealedAt.map(Date.init(millis:)), releasedAt: releasedAt.map(Date.init(millis:))
            )
        }
    }
}
