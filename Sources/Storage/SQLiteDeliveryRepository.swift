import Audit
import Delivery
import ExamCore
import Foundation
import GRDB

struct SQLiteDeliveryRepository: DeliveryRepository {
    let database: SQLiteDatabase

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    static func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    func assignPapers(_ sitting: String, papers: [String], audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM time_ledger WHERE sitting_id = ?", arguments: [sitting]) ?? 0 > 0 {
                throw ExamError(.conflict, code: "already_started", message: "场次 \(sitting) 已开考，不能更换试卷 (the sitting has started)")
            }
            try db.execute(sql: "DELETE FROM sitting_paper WHERE sitting_id = ?", arguments: [sitting])
            for (position, paper) in papers.enumerated() {
                try db.execute(sql: "INSERT INTO sitting_paper (sitting_id, paper_id, position) VALUES (?, ?, ?)", arguments: [sitting, paper, position])
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func papers(of sitting: String) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT paper_id FROM sitting_paper WHERE sitting_id = ? ORDER BY position", arguments: [sitting])
        }
    }

    func storeReleased(paperID: String, sitting: String, wrappedKey: Data, box: Data, at: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO released_paper (paper_id, sitting_id, wrapped_key, box, released_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [paperID, sitting, wrappedKey, box, at.millis]
            )
        }
    }

    func released(paperID: String) async throws -> (wrappedKey: Data, box: Data)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT wrapped_key, box FROM released_paper WHERE paper_id = ?", arguments: [paperID]).map {
                (wrappedKey: $0["wrapped_key"] as Data, box: $0["box"] as Data)
            }
        }
    }

    static func appendLedger(_ sitting: String, _ entry: TimeLedger.Entry, actor: String, at: Date, in db: Database) throws {
        let position = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) + 1 FROM time_ledger WHERE sitting_id = ?", arguments: [sitting]) ?? 1
        try db.execute(
            sql: "INSERT INTO time_ledger (sitting_id, position, entry, actor, recorded_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [sitting, position, try text(entry), actor, at.millis]
        )
    }

    func appendLedger(_ sitting: String, _ entry: TimeLedger.Entry, actor: String, at: Date, audit: AuditEvent?) async throws {
        let database = database
        try await database.write { db in
            try Self.appendLedger(sitting, entry, actor: actor, at: at, in: db)
            if let audit { _ = try database.appendAudit(audit, in: db) }
        }
    }

    func ledger(_ sitting: String) async throws -> [TimeLedger.Entry] {
        try await database.read { db in try Self.entries(sitting, db) }
    }

    static func entries(_ sitting: String, _ db: Database) throws -> [TimeLedger.Entry] {
        try String.fetchAll(db, sql: "SELECT entry FROM time_ledger WHERE sitting_id = ? ORDER BY position", arguments: [sitting]).map {
            try decoder.decode(TimeLedger.Entry.self, from: Data($0.utf8))
        }
    }

    func prepareAttempts(_ sitting: String, attempts: [(candidate: String, paperID: String)]) async throws {
        try await database.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO attempt (sitting_id, candidate_id, paper_id, status) VALUES (?, ?, ?, 'waiting')
                ON CONFLICT (sitting_id, candidate_id) DO UPDATE SET paper_id = excluded.paper_id WHERE attempt.status = 'waiting'
                """)
            for attempt in attempts { try insert.execute(arguments: [sitting, attempt.candidate, attempt.paperID]) }
        }
    }

    func start(_ sitting: String, at: Date, attempts: [(candidate: String, paperID: String)], actor: String, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            let started = try Self.entries(sitting, db).contains { if case .started = $0 { true } else { false } }
            guard !started else { throw ExamError(.conflict, code: "already_started", message: "sitting \(sitting) has started") }
            try Self.appendLedger(sitting, .started(at: at), actor: actor, at: at, in: db)
            // Rows prepared ahead only change state; any candidate without one gets it now.
            let prepared = Dictionary(
                try Row.fetchAll(db, sql: "SELECT candidate_id, paper_id FROM attempt WHERE sitting_id = ?", arguments: [sitting]).map {
                    ($0["candidate_id"] as String, $0["paper_id"] as String)
                }, uniquingKeysWith: { first, _ in first }
            )
            let insert = try db.cachedStatement(sql: """
                INSERT INTO attempt (sitting_id, candidate_id, paper_id, status) VALUES (?, ?, ?, 'answering')
                ON CONFLICT (sitting_id, candidate_id) DO UPDATE SET paper_id = excluded.paper_id, status = 'answering'
                """)
            for attempt in attempts where prepared[attempt.candidate] != attempt.paperID {
                try insert.execute(arguments: [sitting, attempt.candidate, attempt.paperID])
            }
            try db.execute(sql: "UPDATE attempt SET status = 'answering' WHERE sitting_id = ? AND status = 'waiting'", arguments: [sitting])
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func attempts(_ sitting: String) async throws -> [StoredAttempt] {
        try await attempts(sitting, only: nil)
    }

    func attempt(_ sitting: String, candidate: String) async throws -> StoredAttempt? {
        try await attempts(sitting, only: candidate).first
    }

    func states(_ sitting: String) async throws -> [String: (handedIn: Bool, present: Bool)] {
        try await database.read { db in
            var states: [String: (handedIn: Bool, present: Bool)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT candidate_id, status, first_connected_at FROM attempt WHERE sitting_id = ?", arguments: [sitting]) {
                states[row["candidate_id"]] = (handedIn: (row["status"] as String) == Attempt.Status.handedIn.rawValue, present: (row["first_connected_at"] as Int64?) != nil)
            }
            return states
        }
    }

    func present(_ sitting: String) async throws -> Set<String> {
        try await database.read { db in
            Set(try String.fetchAll(db, sql: "SELECT candidate_id FROM attempt WHERE sitting_id = ? AND first_connected_at IS NOT NULL", arguments: [sitting]))
        }
    }

    /// A sitting's attempts with their answers and flags; `only` one candidate's.
    private func attempts(_ sitting: String, only candidate: String?) async throws -> [StoredAttempt] {
        try await database.read { db in
            var stored: [String: StoredAttempt] = [:]
            var order: [String] = []
            // Two statements rather than one with an optional filter, so each uses the (sitting, candidate) key.
            let filter = candidate == nil ? "sitting_id = ?1" : "sitting_id = ?1 AND candidate_id = ?2"
            let arguments: StatementArguments = candidate.map { [sitting, $0] } ?? [sitting]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM attempt WHERE \(filter) ORDER BY candidate_id", arguments: arguments) {
                let candidate: String = row["candidate_id"]
                var attempt = Attempt(candidate: candidate, status: Attempt.Status(rawValue: row["status"]) ?? .answering)
                attempt.lastSeq = row["last_seq"]
                attempt.handedInAt = (row["handed_in_at"] as Int64?).map(Date.init(millis:))
                attempt.handInReason = (row["hand_in_reason"] as String?).flatMap(Attempt.HandInReason.init(rawValue:))
                attempt.receipt = try (row["receipt"] as String?).map { try Self.decoder.decode(Receipt.self, from: Data($0.utf8)) }
                stored[candidate] = StoredAttempt(
                    candidate: candidate, paperID: row["paper_id"], attempt: attempt, firstConnectedAt: (row["first_connected_at"] as Int64?).map(Date.init(millis:))
                )
                order.append(candidate)
            }
            for row in try Row.fetchAll(db, sql: "SELECT candidate_id, item_key, seq, answer FROM answer WHERE \(filter)", arguments: arguments) {
                let candidate: String = row["candidate_id"]
                let answer = try (row["answer"] as String?).map { try Self.decoder.decode(Answer.self, from: Data($0.utf8)) }
                stored[candidate]?.attempt.answers[row["item_key"]] = Attempt.Entry(seq: row["seq"], answer: answer)
            }
            for row in try Row.fetchAll(db, sql: "SELECT candidate_id, item_key, flagged, seq FROM answer_flag WHERE \(filter)", arguments: arguments) {
                let candidate: String = row["candidate_id"]
                stored[candidate]?.attempt.flags[row["item_key"]] = Attempt.Flag(flagged: row["flagged"], seq: row["seq"])
            }
            return order.compactMap { stored[$0] }
        }
    }

    func apply(_ changes: [DeliveryChange]) async throws {
        guard !changes.isEmpty else { return }
        try await database.write { db in
            for change in changes {
                switch change {
                case .answer(let sitting, let candidate, let key, let itemID, let seq, let answer, let at):
                    try db.cachedStatement(sql: """
                        INSERT INTO answer (sitting_id, candidate_id, item_key, item_id, seq, answer, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (sitting_id, candidate_id, item_key) DO UPDATE SET seq = excluded.seq, answer = excluded.answer, saved_at = excluded.saved_at
                        WHERE excluded.seq > answer.seq
                        """).execute(arguments: [sitting, candidate, key, itemID, seq, try answer.map(Self.text), at.millis])
                    try Self.seen(sitting, candidate, seq, db)
                case .flag(let sitting, let candidate, let key, let flagged, let seq):
                    try db.execute(
                        sql: """
                            INSERT INTO answer_flag (sitting_id, candidate_id, item_key, flagged, seq) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (sitting_id, candidate_id, item_key) DO UPDATE SET flagged = excluded.flagged, seq = excluded.seq
                            WHERE excluded.seq > answer_flag.seq
                            """,
                        arguments: [sitting, candidate, key, flagged, seq]
                    )
                    try Self.seen(sitting, candidate, seq, db)
                case .seen(let sitting, let candidate, let seq):
                    try Self.seen(sitting, candidate, seq, db)
                case .connected(let sitting, let candidate, let at):
                    try db.execute(
                        sql: "UPDATE attempt SET first_connected_at = COALESCE(first_connected_at, ?) WHERE sitting_id = ? AND candidate_id = ?",
                        arguments: [at.millis, sitting, candidate]
                    )
                case .event(let sitting, let candidate, let seq, let kind, let detail, let source, let actor, let at):
                    try db.cachedStatement(
                        sql: "INSERT INTO proctor_event (sitting_id, candidate_id, seq, kind, detail, source, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    ).execute(arguments: [sitting, candidate, seq, kind, detail, source, actor, at.millis])
                    if let candidate, let seq { try Self.seen(sitting, candidate, seq, db) }
                case .handIn(let sitting, let candidate, let at, let reason, let receipt):
                    try db.execute(
                        sql: """
                            UPDATE attempt SET status = 'handedIn', handed_in_at = ?, hand_in_reason = ?, receipt = ?
                            WHERE sitting_id = ? AND candidate_id = ? AND status <> 'handedIn'
                            """,
                        arguments: [at.millis, reason.rawValue, try Self.text(receipt), sitting, candidate]
                    )
                }
            }
        }
    }

    private static func seen(_ sitting: String, _ candidate: String, _ seq: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE attempt SET last_seq = MAX(last_seq, ?) WHERE sitting_id = ? AND candidate_id = ?")
            .execute(arguments: [seq, sitting, candidate])
    }

    func events(_ sitting: String, candidate: String?) async throws -> [(kind: String, detail: String?, source: String, at: Date)] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, detail, source, at FROM proctor_event WHERE sitting_id = ?1 AND (?2 IS NULL OR candidate_id = ?2) ORDER BY at, id",
                arguments: [sitting, candidate]
            ).map { (kind: $0["kind"], detail: $0["detail"], source: $0["source"], at: Date(millis: $0["at"])) }
        }
    }

    func storeScores(_ scores: [StoredScore]) async throws {
        guard !scores.isEmpty else { return }
        try await database.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO attempt_score
                (sitting_id, candidate_id, paper_id, objective, objective_max, maximum, pending, items, rules, scored_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for score in scores {
                try statement.execute(arguments: [
                    score.sitting, score.candidate, score.paperID, score.objective, score.objectiveMaximum, score.maximum, score.pending,
                    score.items, score.rules, score.scoredAt.millis,
                ])
            }
        }
    }

    private static func score(_ row: Row) -> StoredScore {
        StoredScore(
            sitting: row["sitting_id"], candidate: row["candidate_id"], paperID: row["paper_id"], objective: row["objective"],
            objectiveMaximum: row["objective_max"], maximum: row["maximum"], pending: row["pending"], items: row["items"], rules: row["rules"],
            scoredAt: Date(millis: row["scored_at"])
        )
    }

    func scores(_ sitting: String) async throws -> [StoredScore] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM attempt_score WHERE sitting_id = ? ORDER BY candidate_id", arguments: [sitting]).map(Self.score)
        }
    }

    func score(_ sitting: String, candidate: String) async throws -> StoredScore? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM attempt_score WHERE sitting_id = ? AND candidate_id = ?", arguments: [sitting, candidate]).map(Self.score)
        }
    }

    func unscored(_ sitting: String) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: """
                SELECT a.candidate_id FROM attempt a LEFT JOIN attempt_score s ON s.sitting_id = a.sitting_id AND s.candidate_id = a.candidate_id
                WHERE a.sitting_id = ? AND a.status = 'handedIn' AND s.candidate_id IS NULL ORDER BY a.candidate_id
                """, arguments: [sitting])
        }
    }

    func recordKeyCorrection(item: String, version: Int, answer: String, reason: String, actor: String, at: Date, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO key_correction (item_id, version, answer, reason, corrected_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [item, version, answer, reason, actor, at.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func keyCorrections() async throws -> [String: String] {
        try await database.read { db in
            var latest: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item_id, version, answer FROM key_correction ORDER BY id") {
                latest["\(row["item_id"] as String)@\(row["version"] as Int)"] = row["answer"]
            }
            return latest
        }
    }

    func scoredSittings(item: String, version: Int) async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT s.sitting_id FROM attempt_score s
                WHERE EXISTS (SELECT 1 FROM json_each(s.items) WHERE json_extract(value, '$.item') = ? AND json_extract(value, '$.version') = ?)
                ORDER BY s.sitting_id
                """, arguments: [item, version])
        }
    }

    func liveSittings() async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT sitting_id FROM attempt WHERE status <> 'handedIn' ORDER BY sitting_id")
        }
    }

    func beat(node: String, at: Date) async throws {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO node_heartbeat (node, at) VALUES (?, ?) ON CONFLICT (node) DO UPDATE SET at = excluded.at", arguments: [node, at.millis])
        }
    }

    func lastBeat(node: String) async throws -> Date? {
        try await database.read { db in try Int64.fetchOne(db, sql: "SELECT at FROM node_heartbeat WHERE node = ?", arguments: [node]).map(Date.init(millis:)) }
    }
}
