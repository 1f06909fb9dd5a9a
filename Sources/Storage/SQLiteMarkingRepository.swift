import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteMarkingRepository: MarkingRepository {
    let database: SQLiteDatabase

    static func submission(_ row: Row) -> SubmissionRecord {
        SubmissionRecord(
            code: row["code"], sitting: row["sitting_id"], candidate: row["candidate_id"], room: row["room"], items: row["items"], worth: row["worth"],
            status: row["status"], reason: row["reason"], marked: row["marked"], adjudicated: (row["adjudicated"] as Int64) == 1,
            createdAt: Date(millis: row["created_at"]), decidedAt: (row["decided_at"] as Int64?).map(Date.init(millis:))
        )
    }

    static func sheet(_ row: Row) -> SheetRecord {
        SheetRecord(
            code: row["code"], role: row["role"], examiner: row["examiner_id"], sheet: row["sheet"], total: row["total"],
            assignedAt: Date(millis: row["assigned_at"]), savedAt: (row["saved_at"] as Int64?).map(Date.init(millis:)),
            signedAt: (row["signed_at"] as Int64?).map(Date.init(millis:))
        )
    }

    private static func insert(_ sheet: SheetRecord, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO marking_sheet (code, role, examiner_id, sheet, total, assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [sheet.code, sheet.role, sheet.examiner, sheet.sheet, sheet.total, sheet.assignedAt.millis]
        )
    }

    func createSubmissions(_ submissions: [SubmissionRecord], sheets: [SheetRecord], audit: AuditEvent?) async throws -> Int {
        guard !submissions.isEmpty else { return 0 }
        return try await database.write { db in
            var added = 0
            let sheetsByCode = Dictionary(grouping: sheets, by: \.code)
            for submission in submissions {
                let known = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM marking_submission WHERE sitting_id = ? AND candidate_id = ?)",
                    arguments: [submission.sitting, submission.candidate]
                ) ?? false
                if known { continue }
                try db.execute(
                    sql: """
                        INSERT INTO marking_submission (code, sitting_id, candidate_id, room, items, worth, status, reason, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        submission.code, submission.sitting, submission.candidate, submission.room, submission.items, submission.worth, submission.status,
                        submission.reason, submission.createdAt.millis,
                    ]
                )
                for sheet in sheetsByCode[submission.code] ?? [] { try Self.insert(sheet, in: db) }
                added += 1
            }
            if added > 0, let audit { _ = try database.appendAudit(audit, in: db) }
            return added
        }
    }

    func assign(code: String, sheets: [SheetRecord], audit: AuditEvent) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE marking_submission SET status = 'marking', reason = NULL WHERE code = ? AND status = 'unassigned'", arguments: [code]
            )
            guard db.changesCount == 1 else { return false }
            for sheet in sheets { try Self.insert(sheet, in: db) }
            _ = try database.appendAudit(audit, in: db)
            return true
        }
    }

    func addThird(_ sheet: SheetRecord, audit: AuditEvent) async throws -> Bool {
        try await database.write { db in
            let waiting = try Bool.fetchOne(
                db, sql: """
                    SELECT EXISTS (SELECT 1 FROM marking_submission WHERE code = ?1 AND status = 'adjudication')
                       AND NOT EXISTS (SELECT 1 FROM marking_sheet WHERE code = ?1 AND role = 'third')
                    """, arguments: [sheet.code]
            ) ?? false
            guard waiting else { return false }
            try Self.insert(sheet, in: db)
            _ = try database.appendAudit(audit, in: db)
            return true
        }
    }

    func reassign(code: String, role: String, from: String, to: String, at: Date, audit: AuditEvent) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE marking_sheet SET examiner_id = ?, sheet = '{}', total = 0, saved_at = NULL, assigned_at = ?
                    WHERE code = ? AND role = ? AND examiner_id = ? AND signed_at IS NULL
                    """,
                arguments: [to, at.millis, code, role, from]
            )
            guard db.changesCount == 1 else { return false }
            _ = try database.appendAudit(audit, in: db)
            return true
        }
    }

    func conflictedSheets(sitting: String) async throws -> [(code: String, role: String, examiner: String)] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT s.code, s.role, s.examiner_id FROM marking_sheet s
                    JOIN marking_submission m ON m.code = s.code
                    JOIN account a ON a.id = s.examiner_id
                    WHERE m.sitting_id = ? AND s.signed_at IS NULL AND (a.disabled = 1 OR EXISTS (
                        SELECT 1 FROM staff_relation r WHERE r.staff_id = s.examiner_id AND r.candidate_id = m.candidate_id))
                    ORDER BY s.code, s.role
                    """, arguments: [sitting]
            ).map { (code: $0["code"], role: $0["role"], examiner: $0["examiner_id"]) }
        }
    }

    func needsPreparation(sitting: String) async throws -> Bool {
        let pending = try await database.read { db in
            try Bool.fetchOne(
                db, sql: """
                    SELECT EXISTS (SELECT 1 FROM attempt_score s WHERE s.sitting_id = ?1 AND s.pending > 0
                                   AND NOT EXISTS (SELECT 1 FROM marking_submission m WHERE m.sitting_id = ?1 AND m.candidate_id = s.candidate_id)
                                   AND EXISTS (SELECT 1 FROM attempt a WHERE a.sitting_id = ?1 AND a.candidate_id = s.candidate_id
                                               AND a.first_connected_at IS NOT NULL))
                        OR EXISTS (SELECT 1 FROM marking_submission WHERE sitting_id = ?1 AND status = 'unassigned')
                        OR EXISTS (SELECT 1 FROM marking_submission m WHERE m.sitting_id = ?1 AND m.status = 'adjudication'
                                   AND NOT EXISTS (SELECT 1 FROM marking_sheet t WHERE t.code = m.code AND t.role = 'third'))
                    """, arguments: [sitting]
            ) ?? false
        }
        if pending { return true }
        return try await !conflictedSheets(sitting: sitting).isEmpty
    }

    func load(sitting: String) async throws -> [String: Int] {
        try await database.read { db in
            var load: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT s.examiner_id, COUNT(*) AS n FROM marking_sheet s JOIN marking_submission m ON m.code = s.code
                    WHERE m.sitting_id = ? GROUP BY s.examiner_id
                    """, arguments: [sitting]
            ) {
                load[row["examiner_id"]] = row["n"]
            }
            return load
        }
    }

    func submissions(sitting: String) async throws -> [SubmissionRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM marking_submission WHERE sitting_id = ? ORDER BY code", arguments: [sitting]).map(Self.submission)
        }
    }

    func submission(code: String) async throws -> SubmissionRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM marking_submission WHERE code = ?", arguments: [code]).map(Self.submission)
        }
    }

    func sheets(code: String) async throws -> [SheetRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM marking_sheet WHERE code = ? ORDER BY role", arguments: [code]).map(Self.sheet)
        }
    }

    func sheets(sitting: String) async throws -> [SheetRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT s.* FROM marking_sheet s JOIN marking_submission m ON m.code = s.code WHERE m.sitting_id = ? ORDER BY s.code, s.role",
                arguments: [sitting]
            ).map(Self.sheet)
        }
    }

    /// In code order: random codes say nothing about when a candidate handed in.
    func assignments(examiner: String) async throws -> [(submission: SubmissionRecord, sheet: SheetRecord)] {
        try await database.read { db in
            let submissions = Dictionary(
                try Row.fetchAll(
                    db, sql: "SELECT m.* FROM marking_submission m JOIN marking_sheet s ON s.code = m.code WHERE s.examiner_id = ?", arguments: [examiner]
                ).map { (($0["code"] as String), Self.submission($0)) }, uniquingKeysWith: { first, _ in first }
            )
            return try Row.fetchAll(db, sql: "SELECT * FROM marking_sheet WHERE examiner_id = ? ORDER BY code", arguments: [examiner]).compactMap { row in
                let sheet = Self.sheet(row)
                return submissions[sheet.code].map { ($0, sheet) }
            }
        }
    }

    /// Why a sheet could not be written: signed already, or not this examiner's.
    private static func refusal(code: String, role: String, examiner: String, in db: Database) throws -> ExamError {
        let signed = try Int64?.fetchOne(
            db, sql: "SELECT signed_at FROM marking_sheet WHERE code = ? AND role = ? AND examiner_id = ?", arguments: [code, role, examiner]
        )
        if signed != nil {
            return ExamError(.conflict, code: "already_signed", message: "评分已签名提交，不能再修改 (the sheet is signed and can no longer change)")
        }
        return ExamError(.forbidden, code: "not_assigned", message: "该评阅卷未分配给您 (this submission is not assigned to you)")
    }

    func save(code: String, role: String, examiner: String, sheet: String, total: Double, at: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE marking_sheet SET sheet = ?, total = ?, saved_at = ? WHERE code = ? AND role = ? AND examiner_id = ? AND signed_at IS NULL",
                arguments: [sheet, total, at.millis, code, role, examiner]
            )
            guard db.changesCount == 1 else { throw try Self.refusal(code: code, role: role, examiner: examiner, in: db) }
        }
    }

    func sign(
        code: String, role: String, examiner: String, sheet: String, total: Double, draftSavedAt: Date??, at: Date, audit: AuditEvent,
        decide: @escaping @Sendable ([SheetRecord]) -> MarkingUpdate?
    ) async throws -> SubmissionRecord {
        try await database.write { db in
            if let expected = draftSavedAt {
                let saved = try Row.fetchOne(
                    db, sql: "SELECT saved_at FROM marking_sheet WHERE code = ? AND role = ? AND examiner_id = ? AND signed_at IS NULL",
                    arguments: [code, role, examiner]
                ).map { $0["saved_at"] as Int64? }
                if let saved, saved != expected?.millis {
                    throw ExamError(
                        .conflict, code: "draft_changed", message: "草稿已在别处更新，请核对后再签名 (the draft was saved elsewhere since; check it and sign again)"
                    )
                }
            }
            try db.execute(
                sql: """
                    UPDATE marking_sheet SET sheet = ?, total = ?, saved_at = ?, signed_at = ?
                    WHERE code = ? AND role = ? AND examiner_id = ? AND signed_at IS NULL
                    """,
                arguments: [sheet, total, at.millis, at.millis, code, role, examiner]
            )
            guard db.changesCount == 1 else { throw try Self.refusal(code: code, role: role, examiner: examiner, in: db) }
            _ = try database.appendAudit(audit, in: db)
            let sheets = try Row.fetchAll(db, sql: "SELECT * FROM marking_sheet WHERE code = ? ORDER BY role", arguments: [code]).map(Self.sheet)
            if let update = decide(sheets) {
                try db.execute(
                    sql: "UPDATE marking_submission SET status = ?, reason = ?, marked = ?, adjudicated = ?, decided_at = ? WHERE code = ?",
                    arguments: [update.status, update.reason, update.marked, update.adjudicated ? 1 : 0, update.status == "final" ? at.millis : nil, code]
                )
                if let third = update.third { try Self.insert(third, in: db) }
                if let audit = update.audit { _ = try database.appendAudit(audit, in: db) }
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM marking_submission WHERE code = ?", arguments: [code]) else {
                throw ExamError(.notFound, code: "not_found", message: "no submission \(code)")
            }
            return Self.submission(row)
        }
    }
}

struct SQLiteResultRepository: ResultRepository {
    let database: SQLiteDatabase

    static func batch(_ row: Row) -> BatchRecord {
        BatchRecord(
            id: row["id"], occupation: OccupationCode(rawValue: row["occupation"]), level: Level(rawValue: row["level"]) ?? .junior,
            direction: row["direction"], theory: row["theory_sitting"], ability: row["ability_sitting"], recheckDays: row["recheck_days"],
            createdBy: row["created_by"], createdAt: Date(millis: row["created_at"]), publishedAt: (row["published_at"] as Int64?).map(Date.init(millis:)),
            publishedBy: row["published_by"], recheckUntil: (row["recheck_until"] as Int64?).map(Date.init(millis:))
        )
    }

    static func result(_ row: Row) -> ResultRecord {
        ResultRecord(
            batch: row["batch_id"], candidate: row["candidate_id"], revision: row["revision"], result: row["result"], cause: row["cause"],
            recordedBy: row["recorded_by"], recordedAt: Date(millis: row["recorded_at"])
        )
    }

    static func recheck(_ row: Row) -> RecheckRecord {
        RecheckRecord(
            id: row["id"], batch: row["batch_id"], candidate: row["candidate_id"], part: ExamPart(rawValue: row["part"]) ?? .theory, scope: row["scope"],
            reason: row["reason"], requestedAt: Date(millis: row["requested_at"]), answerBy: Date(millis: row["answer_by"]), status: row["status"],
            decidedBy: row["decided_by"], decidedAt: (row["decided_at"] as Int64?).map(Date.init(millis:)), note: row["note"], before: row["before"],
            after: row["after"]
        )
    }

    private static func insert(_ result: ResultRecord, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO result (batch_id, candidate_id, revision, result, cause, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [result.batch, result.candidate, result.revision, result.result, result.cause, result.recordedBy, result.recordedAt.millis]
        )
    }

    func createBatch(_ batch: BatchRecord, audit: AuditEvent) async throws {
        try await database.write { db in
            let taken = try String.fetchOne(
                db, sql: "SELECT id FROM result_batch WHERE theory_sitting IN (?1, ?2) OR ability_sitting IN (?1, ?2)",
                arguments: [batch.theory, batch.ability]
            )
            if let taken {
                throw ExamError(.conflict, code: "batch_conflict", message: "场次已属于批次 \(taken) (a sitting is already in batch \(taken))")
            }
            try db.execute(
                sql: """
                    INSERT INTO result_batch (id, occupation, level, direction, theory_sitting, ability_sitting, recheck_days, created_by, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    batch.id, batch.occupation.rawValue, batch.level.rawValue, batch.direction, batch.theory, batch.ability, batch.recheckDays,
                    batch.createdBy, batch.createdAt.millis,
                ]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func batches() async throws -> [BatchRecord] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM result_batch ORDER BY created_at DESC, id").map(Self.batch) }
    }

    func batch(id: String) async throws -> BatchRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM result_batch WHERE id = ?", arguments: [id]).map(Self.batch) }
    }

    func publish(_ batch: String, results: [ResultRecord], at: Date, by: String, recheckUntil: Date, audit: AuditEvent) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE result_batch SET published_at = ?, published_by = ?, recheck_until = ? WHERE id = ? AND published_at IS NULL",
                arguments: [at.millis, by, recheckUntil.millis, batch]
            )
            guard db.changesCount == 1 else {
                throw ExamError(.conflict, code: "already_published", message: "批次 \(batch) 的成绩已发布 (the results are already published)")
            }
            for result in results { try Self.insert(result, in: db) }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func results(batch: String) async throws -> [ResultRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT r.* FROM result r WHERE r.batch_id = ?1 AND r.revision = (
                        SELECT MAX(revision) FROM result WHERE batch_id = r.batch_id AND candidate_id = r.candidate_id)
                    ORDER BY r.candidate_id
                    """, arguments: [batch]
            ).map(Self.result)
        }
    }

    func results(candidate: String) async throws -> [ResultRecord] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT r.* FROM result r JOIN result_batch b ON b.id = r.batch_id
                    WHERE r.candidate_id = ?1 AND b.published_at IS NOT NULL AND r.revision = (
                        SELECT MAX(revision) FROM result WHERE batch_id = r.batch_id AND candidate_id = r.candidate_id)
                    ORDER BY b.published_at DESC
                    """, arguments: [candidate]
            ).map(Self.result)
        }
    }

    func request(_ recheck: RecheckRecord, audit: AuditEvent) async throws -> Int64 {
        try await database.write { db in
            let open = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM recheck WHERE batch_id = ? AND candidate_id = ? AND part = ? AND status = 'open')",
                arguments: [recheck.batch, recheck.candidate, recheck.part.rawValue]
            ) ?? false
            if open {
                throw ExamError(.conflict, code: "recheck_open", message: "该科目已有待处理的复核申请 (a re-check of this part is already open)")
            }
            try db.execute(
                sql: """
                    INSERT INTO recheck (batch_id, candidate_id, part, scope, reason, requested_at, answer_by, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'open')
                    """,
                arguments: [
                    recheck.batch, recheck.candidate, recheck.part.rawValue, recheck.scope, recheck.reason, recheck.requestedAt.millis, recheck.answerBy.millis,
                ]
            )
            let id = db.lastInsertedRowID
            var audit = audit
            audit.subject = "recheck:\(id)"
            _ = try database.appendAudit(audit, in: db)
            return id
        }
    }

    func rechecks(batch: String) async throws -> [RecheckRecord] {
        try await database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM recheck WHERE batch_id = ? ORDER BY id", arguments: [batch]).map(Self.recheck) }
    }

    func rechecks(candidate: String) async throws -> [RecheckRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM recheck WHERE candidate_id = ? ORDER BY id", arguments: [candidate]).map(Self.recheck)
        }
    }

    func recheck(id: Int64) async throws -> RecheckRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM recheck WHERE id = ?", arguments: [id]).map(Self.recheck) }
    }

    func decide(
        _ recheck: RecheckRecord, revise: (@Sendable (ResultRecord) throws -> (result: ResultRecord, before: Double?))?,
        audit: @escaping @Sendable (RecheckRecord) -> AuditEvent
    ) async throws -> RecheckRecord {
        try await database.write { db in
            var recheck = recheck
            var revised: ResultRecord?
            if let revise {
                guard let latest = try Row.fetchOne(
                    db, sql: "SELECT * FROM result WHERE batch_id = ? AND candidate_id = ? ORDER BY revision DESC LIMIT 1",
                    arguments: [recheck.batch, recheck.candidate]
                ).map(Self.result) else {
                    throw ExamError(.notFound, code: "not_found", message: "没有该考生的成绩 (no result for the candidate)")
                }
                let (result, before) = try revise(latest)
                revised = result
                revised?.revision = latest.revision + 1
                recheck.before = before
            }
            try db.execute(
                sql: """
                    UPDATE recheck SET status = ?, decided_by = ?, decided_at = ?, note = ?, before = ?, after = ?
                    WHERE id = ? AND status = 'open'
                    """,
                arguments: [recheck.status, recheck.decidedBy, recheck.decidedAt?.millis, recheck.note, recheck.before, recheck.after, recheck.id]
            )
            guard db.changesCount == 1 else {
                throw ExamError(.conflict, code: "already_decided", message: "该复核申请已处理 (the re-check is already decided)")
            }
            if let revised { try Self.insert(revised, in: db) }
            _ = try database.appendAudit(audit(recheck), in: db)
            return recheck
        }
    }
}
