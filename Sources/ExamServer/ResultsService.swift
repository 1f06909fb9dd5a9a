import Audit
import Delivery
import ExamCore
import Foundation
import Scoring
import Storage

/// Results per batch (issue 7 §3–4, docs/MARKING.md): composed from objective scores, final marks
/// and the sittings' misconduct decisions; published by the exam administrator (nothing is visible
/// to candidates before), then corrected only through re-checks (成绩复核), each a new revision.
struct ResultsService: Sendable {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }
    var marking: MarkingService { MarkingService(runtime: runtime) }

    // MARK: - Batches

    struct BatchInput: Decodable {
        var theory: String
        var ability: String
        var recheckDays: Int?
    }

    struct BatchView: Codable, Sendable {
        var id: String
        var title: String
        var occupation: String
        var level: String
        var direction: String?
        var theory: String
        var ability: String
        var status: String
        var recheckDays: Int
        var publishedAt: Date?
        var recheckUntil: Date?
        var openRechecks: Int
    }

    func view(_ batch: BatchRecord) async throws -> BatchView {
        let open = try await store.results.rechecks(batch: batch.id).filter { $0.status == "open" }.count
        return BatchView(
            id: batch.id, title: runtime.examTitle(batch.occupation, batch.level, batch.direction), occupation: batch.occupation.rawValue,
            level: batch.level.rawValue, direction: batch.direction, theory: batch.theory, ability: batch.ability,
            status: batch.publishedAt == nil ? "open" : "published", recheckDays: batch.recheckDays, publishedAt: batch.publishedAt,
            recheckUntil: batch.recheckUntil, openRechecks: open
        )
    }

    /// - Throws: `not_found`, `invalid_batch`, `batch_conflict`.
    func create(_ input: BatchInput, actor: String) async throws -> BatchView {
        let days = input.recheckDays ?? 10
        guard (1...60).contains(days) else { throw ExamError.invalid("invalid_batch", "复核期限须为1–60个工作日 (the re-check window is 1–60 working days)") }
        guard input.theory != input.ability else { throw ExamError.invalid("invalid_batch", "理论与技能须为两个不同的场次 (two different sittings are needed)") }
        var records: [SittingRecord] = []
        for id in [input.theory, input.ability] {
            guard let record = try await store.sittings.sitting(id: id) else {
                throw ExamError(.notFound, code: "not_found", message: "没有场次 \(id) (no such sitting)")
            }
            guard record.status == .published else { throw ExamError.invalid("invalid_batch", "场次 \(id) 尚未发布 (the sitting is not published)") }
            records.append(record)
        }
        let (theory, ability) = (records[0], records[1])
        guard theory.part == .theory, ability.part == .ability else {
            throw ExamError.invalid("invalid_batch", "须一个理论知识场次和一个专业能力场次 (one theory and one ability sitting are needed)")
        }
        guard theory.occupation == ability.occupation, theory.level == ability.level, theory.direction == ability.direction else {
            throw ExamError.invalid("invalid_batch", "两个场次的职业、等级、方向须相同 (both sittings must be of the same occupation, level and direction)")
        }
        let now = runtime.clock.now()
        var generator = SystemRandomNumberGenerator()
        let id = "B-\(CalendarDate.minute(now).prefix(10).replacingOccurrences(of: "-", with: ""))-" + (0..<3).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString.uppercased()
        let batch = BatchRecord(
            id: id, occupation: theory.occupation, level: theory.level, direction: theory.direction, theory: theory.id, ability: ability.id, recheckDays: days,
            createdBy: actor, createdAt: now
        )
        try await store.results.createBatch(
            batch, audit: AuditEvent(actor: actor, action: "results.batch_created", subject: "batch:\(id)", payload: ["theory": .string(theory.id), "ability": .string(ability.id)])
        )
        return try await view(batch)
    }

    func batch(_ id: String) async throws -> BatchRecord {
        guard let batch = try await store.results.batch(id: id) else { throw ExamError(.notFound, code: "not_found", message: "没有批次 \(id) (no such batch)") }
        return batch
    }

    // MARK: - Composing results

    struct Row: Codable, Sendable {
        var candidate: String
        var name: String
        var theory: PartResult
        var ability: PartResult
        var passedTheory: Bool
        var passedAbility: Bool
        var passed: Bool
        var revision: Int?
    }

    struct Composed: Sendable {
        var rows: [Row]
        var blockers: [String]
    }

    private struct PartInput: Sendable {
        var record: SittingRecord
        var rules: PartRules
        var earned: [String: Results.Earned]
        var misconduct: [String: [AppliedMisconduct]]
        var names: [String: String]
    }

    /// One part's sitting: what each candidate earned, its decisions, and what blocks publication.
    private func part(_ sitting: String, blockers: inout [String]) async throws -> PartInput {
        let live = try await runtime.sitting(sitting)
        let record = live.record
        let rules = try marking.rules(of: record)
        let label = "\(record.part.chineseName)场次 \(sitting)"
        if !(await live.isStarted) {
            blockers.append("\(label)尚未开考 (the sitting has not started)")
        } else if !(await live.isOver) {
            blockers.append("\(label)尚未结束 (the sitting is still running)")
        }
        try await marking.prepare(sitting)
        let scores = Dictionary(try await store.delivery.scores(sitting).map { ($0.candidate, $0) }, uniquingKeysWith: { first, _ in first })
        let submissions = Dictionary(try await store.marking.submissions(sitting: sitting).map { ($0.candidate, $0) }, uniquingKeysWith: { first, _ in first })
        var earned: [String: Results.Earned] = [:]
        var unscored = 0
        var unmarked = 0
        for (candidate, state) in try await store.delivery.states(sitting) where state.present {
            guard state.handedIn, let score = scores[candidate] else {
                if state.handedIn { unscored += 1 }
                earned[candidate] = .init(objective: 0, marked: nil, maximum: 100)
                continue
            }
            let marked: Double? = score.pending == 0 ? 0 : (submissions[candidate].flatMap { $0.status == "final" ? $0.marked : nil })
            if marked == nil && submissions[candidate] == nil { unmarked += 1 }
            earned[candidate] = .init(objective: score.objective, marked: marked, maximum: score.maximum)
        }
        if unscored > 0 { blockers.append("\(label)有\(unscored)份答卷尚未评分 (\(unscored) hand-in(s) not scored yet)") }
        if unmarked > 0 {
            blockers.append("\(label)有\(unmarked)份答卷的主观题尚未生成评阅卷 (\(unmarked) hand-in(s) with items for examiners have no submission yet)")
        }
        let open = submissions.values.filter { $0.status != "final" }
        if !open.isEmpty {
            let counts = Dictionary(grouping: open, by: \.status).mapValues(\.count)
            let detail = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            blockers.append("\(label)有\(open.count)份评阅卷未完成评阅 (\(open.count) submission(s) not final: \(detail))")
        }
        var misconduct: [String: [AppliedMisconduct]] = [:]
        for decision in try await store.proctoring.misconduct(sitting) {
            misconduct[decision.candidate, default: []].append(AppliedMisconduct(
                id: decision.id, tier: decision.tier, points: decision.points, banYears: decision.banYears, reason: decision.reason,
                evidence: ["events": decision.evidence.events, "snapshots": decision.evidence.snapshots], decidedBy: decision.decidedBy,
                decidedAt: decision.decidedAt
            ))
        }
        return PartInput(record: record, rules: rules, earned: earned, misconduct: misconduct, names: live.seats.mapValues(\.name))
    }

    /// The batch's results as they stand now, and what blocks publishing them.
    func compose(_ batch: BatchRecord) async throws -> Composed {
        var blockers: [String] = []
        let theory = try await part(batch.theory, blockers: &blockers)
        let ability = try await part(batch.ability, blockers: &blockers)
        let candidates = Set(theory.names.keys).union(ability.names.keys)
        let rows = candidates.map { candidate -> Row in
            let theoryOwn = theory.misconduct[candidate] ?? []
            let abilityOwn = ability.misconduct[candidate] ?? []
            let theoryPart = Results.part(
                earned: theory.earned[candidate], own: theoryOwn, voidedElsewhere: Results.voidingBoth(abilityOwn), fullMarks: Double(theory.rules.fullMarks)
            )
            let abilityPart = Results.part(
                earned: ability.earned[candidate], own: abilityOwn, voidedElsewhere: Results.voidingBoth(theoryOwn), fullMarks: Double(ability.rules.fullMarks)
            )
            let passedTheory = theoryPart.passes(Double(theory.rules.passMark))
            let passedAbility = abilityPart.passes(Double(ability.rules.passMark))
            return Row(
                candidate: candidate, name: theory.names[candidate] ?? ability.names[candidate] ?? candidate, theory: theoryPart, ability: abilityPart,
                passedTheory: passedTheory, passedAbility: passedAbility, passed: passedTheory && passedAbility, revision: nil
            )
        }.sorted { ($0.name, $0.candidate) < ($1.name, $1.candidate) }
        return Composed(rows: rows, blockers: blockers)
    }

    struct ResultsView: Codable, Sendable {
        var batch: BatchView
        var ready: Bool
        var blockers: [String]
        var results: [Row]
    }

    /// Published results (latest revisions), or the results as they would be published now.
    func results(_ id: String) async throws -> ResultsView {
        let batch = try await batch(id)
        if batch.publishedAt != nil {
            return ResultsView(batch: try await view(batch), ready: true, blockers: [], results: try await stored(batch.id))
        }
        let composed = try await compose(batch)
        return ResultsView(batch: try await view(batch), ready: composed.blockers.isEmpty, blockers: composed.blockers, results: composed.rows)
    }

    private func stored(_ batch: String) async throws -> [Row] {
        try await store.results.results(batch: batch).map(Self.row).sorted { ($0.name, $0.candidate) < ($1.name, $1.candidate) }
    }

    /// A stored revision of a result (written with ``encoder``), with its revision number.
    static func row(_ record: ResultRecord) throws -> Row {
        var row = try decoder.decode(Row.self, from: Data(record.result.utf8))
        row.revision = record.revision
        return row
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Publishes the batch. - Throws: `not_ready` (with the blockers), `already_published`.
    func publish(_ id: String, actor: String) async throws -> BatchView {
        let batch = try await batch(id)
        guard batch.publishedAt == nil else {
            throw ExamError(.conflict, code: "already_published", message: "批次 \(id) 的成绩已发布 (the results are already published)")
        }
        let composed = try await compose(batch)
        guard composed.blockers.isEmpty else {
            throw ExamError(.conflict, code: "not_ready", message: "成绩尚不能发布：" + composed.blockers.joined(separator: "；"))
        }
        let now = runtime.clock.now()
        let until = WorkingDays.end(after: now, count: batch.recheckDays)
        let records = try composed.rows.map { row in
            ResultRecord(
                batch: id, candidate: row.candidate, revision: 1, result: String(decoding: try Self.encoder.encode(row), as: UTF8.self), cause: "published",
                recordedBy: actor, recordedAt: now
            )
        }
        try await store.results.publish(
            id, results: records, at: now, by: actor, recheckUntil: until,
            audit: AuditEvent(
                actor: actor, action: "results.published", subject: "batch:\(id)",
                payload: ["results": .int(records.count), "passed": .int(composed.rows.filter(\.passed).count), "recheckUntil": .string(CalendarDate.minute(until))]
            )
        )
        return try await view(try self.batch(id))
    }

    // MARK: - Candidates

    struct MyResult: Codable, Sendable {
        var batch: String
        var title: String
        var occupation: String
        var level: String
        var direction: String?
        var theory: PartResult
        var ability: PartResult
        var passedTheory: Bool
        var passedAbility: Bool
        var passed: Bool
        var revision: Int
        var publishedAt: Date?
        var recheckUntil: Date?
        var canRecheck: Bool
        var rechecks: [RecheckRecord]
    }

    func mine(_ candidate: AccountID) async throws -> [MyResult] {
        let rechecks = Dictionary(grouping: try await store.results.rechecks(candidate: candidate.rawValue), by: \.batch)
        let now = runtime.clock.now()
        var results: [MyResult] = []
        for record in try await store.results.results(candidate: candidate.rawValue) {
            guard let batch = try await store.results.batch(id: record.batch) else { continue }
            let row = try Self.row(record)
            let view = try await view(batch)
            results.append(MyResult(
                batch: batch.id, title: view.title, occupation: view.occupation, level: view.level, direction: view.direction, theory: row.theory,
                ability: row.ability, passedTheory: row.passedTheory, passedAbility: row.passedAbility, passed: row.passed, revision: record.revision,
                publishedAt: batch.publishedAt, recheckUntil: batch.recheckUntil, canRecheck: batch.recheckUntil.map { now <= $0 } ?? false,
                rechecks: rechecks[batch.id] ?? []
            ))
        }
        return results
    }

    // MARK: - Re-checks

    static let scopes = ["missing_score", "unmarked_item", "summation_error", "recording_error"]

    struct RecheckInput: Decodable {
        var part: String
        var scope: String
        var reason: String?
    }

    /// - Throws: `not_found`, `invalid_scope`, `invalid_part`, `recheck_closed`, `recheck_open`.
    func request(_ batchID: String, _ input: RecheckInput, candidate: AccountID) async throws -> RecheckRecord {
        guard let batch = try await store.results.batch(id: batchID), batch.publishedAt != nil, let until = batch.recheckUntil,
            try await store.results.results(candidate: candidate.rawValue).contains(where: { $0.batch == batchID })
        else {
            throw ExamError(.notFound, code: "not_found", message: "没有已发布的该批次成绩 (no published result in this batch)")
        }
        guard let part = ExamPart(rawValue: input.part) else {
            throw ExamError.invalid("invalid_part", "科目须为 theory 或 ability (the part is theory or ability)")
        }
        guard Self.scopes.contains(input.scope) else {
            throw ExamError.invalid(
                "invalid_scope",
                "复核范围限于漏登成绩、漏评试题、合分错误、登记错误，不对评分标准重新评判 (a re-check covers a missing score, an unmarked item, a summation or recording error only)"
            )
        }
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count <= 500 else { throw ExamError.invalid("invalid_reason", "说明不超过500字 (at most 500 characters)") }
        let now = runtime.clock.now()
        guard now <= until else {
            throw ExamError(
                .conflict, code: "recheck_closed", message: "成绩复核申请期已于 \(CalendarDate.minute(until)) 截止 (the re-check window closed at \(CalendarDate.minute(until)))"
            )
        }
        var recheck = RecheckRecord(
            batch: batchID, candidate: candidate.rawValue, part: part, scope: input.scope, reason: reason, requestedAt: now,
            answerBy: WorkingDays.end(after: now, count: batch.recheckDays)
        )
        recheck.id = try await store.results.request(
            recheck,
            audit: AuditEvent(
                actor: candidate.rawValue, action: "results.recheck_requested", subject: "recheck",
                payload: ["batch": .string(batchID), "part": .string(part.rawValue), "scope": .string(input.scope)]
            )
        )
        return recheck
    }

    struct RecheckView: Codable, Sendable {
        var id: Int64
        var batch: String
        var candidate: String
        var name: String
        var part: ExamPart
        var scope: String
        var reason: String
        var requestedAt: Date
        var answerBy: Date
        var overdue: Bool
        var status: String
        var decidedBy: String?
        var decidedAt: Date?
        var note: String?
        var before: Double?
        var after: Double?
    }

    func rechecks(_ batchID: String) async throws -> [RecheckView] {
        _ = try await batch(batchID)
        let names = Dictionary(try await stored(batchID).map { ($0.candidate, $0.name) }, uniquingKeysWith: { first, _ in first })
        let now = runtime.clock.now()
        return try await store.results.rechecks(batch: batchID).map { recheck in
            RecheckView(
                id: recheck.id, batch: recheck.batch, candidate: recheck.candidate, name: names[recheck.candidate] ?? recheck.candidate, part: recheck.part,
                scope: recheck.scope, reason: recheck.reason, requestedAt: recheck.requestedAt, answerBy: recheck.answerBy,
                overdue: recheck.status == "open" && now > recheck.answerBy, status: recheck.status, decidedBy: recheck.decidedBy, decidedAt: recheck.decidedAt,
                note: recheck.note, before: recheck.before, after: recheck.after
            )
        }
    }

    struct DecisionInput: Decodable {
        var outcome: String
        var score: Double?
        var note: String?
    }

    /// Decides an open re-check; a correction writes the result's next revision with the part's
    /// corrected score and pass recomputed. - Throws: `not_found`, `invalid_decision`, `already_decided`.
    func decide(_ id: Int64, _ input: DecisionInput, actor: String) async throws -> RecheckRecord {
        guard var recheck = try await store.results.recheck(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "没有该复核申请 (no such re-check)")
        }
        guard recheck.status == "open" else { throw ExamError(.conflict, code: "already_decided", message: "该复核申请已处理 (the re-check is already decided)") }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 500 else { throw ExamError.invalid("invalid_decision", "说明不超过500字 (at most 500 characters)") }
        let batch = try await batch(recheck.batch)
        let rules = (
            theory: try marking.rules(of: try await sittingRecord(batch.theory)), ability: try marking.rules(of: try await sittingRecord(batch.ability))
        )
        let part = recheck.part
        let fullMarks = part == .theory ? rules.theory.fullMarks : rules.ability.fullMarks
        let now = runtime.clock.now()
        var revise: (@Sendable (ResultRecord) throws -> (result: ResultRecord, before: Double?))?
        switch input.outcome {
        case "unchanged":
            recheck.status = "unchanged"
            // The score stands: read it as it is when the decision is written.
            guard let latest = try await store.results.results(batch: batch.id).first(where: { $0.candidate == recheck.candidate }) else {
                throw ExamError(.notFound, code: "not_found", message: "没有该考生的成绩 (no result for the candidate)")
            }
            let row = try Self.row(latest)
            recheck.before = part == .theory ? row.theory.score : row.ability.score
            recheck.after = recheck.before
        case "corrected":
            guard let score = input.score, score.isFinite, score >= 0, score <= Double(fullMarks), Marking.round(score) == score else {
                throw ExamError.invalid(
                    "invalid_decision", "更正后的成绩须在0–\(fullMarks)分之间，最多两位小数 (the corrected score is 0–\(fullMarks), at most two decimals)"
                )
            }
            guard !note.isEmpty else { throw ExamError.invalid("invalid_decision", "更正成绩须说明理由 (a correction needs a note)") }
            recheck.status = "corrected"
            recheck.after = score
            let cause = "recheck:\(id)"
            // Applied to the latest result inside the writing transaction.
            revise = { latest in
                var row = try Self.row(latest)
                var corrected = part == .theory ? row.theory : row.ability
                let before = corrected.score
                guard corrected.status != .void else {
                    throw ExamError.invalid("invalid_decision", "该科目成绩因违纪无效，复核不能更正 (a part voided for misconduct is not corrected by a re-check)")
                }
                corrected.status = .scored
                corrected.score = score
                if part == .theory { row.theory = corrected } else { row.ability = corrected }
                row.passedTheory = row.theory.passes(Double(rules.theory.passMark))
                row.passedAbility = row.ability.passes(Double(rules.ability.passMark))
                row.passed = row.passedTheory && row.passedAbility
                row.revision = nil
                let record = ResultRecord(
                    batch: latest.batch, candidate: latest.candidate, revision: latest.revision + 1,
                    result: String(decoding: try Self.encoder.encode(row), as: UTF8.self), cause: cause, recordedBy: actor, recordedAt: now
                )
                return (record, before)
            }
        default:
            throw ExamError.invalid("invalid_decision", "处理结果须为 unchanged（维持）或 corrected（更正）(outcome is unchanged or corrected)")
        }
        recheck.decidedBy = actor
        recheck.decidedAt = now
        recheck.note = note
        return try await store.results.decide(recheck, revise: revise) { decided in
            var payload: [String: JSONValue] = ["outcome": .string(decided.status), "part": .string(decided.part.rawValue), "candidate": .string(decided.candidate)]
            payload["before"] = decided.before.map(JSONValue.double) ?? .null
            payload["after"] = decided.after.map(JSONValue.double) ?? .null
            return AuditEvent(actor: actor, action: "results.recheck_decided", subject: "recheck:\(id)", payload: .object(payload))
        }
    }

    private func sittingRecord(_ id: String) async throws -> SittingRecord {
        guard let record = try await store.sittings.sitting(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)") }
        return record
    }

    // MARK: - Certification gate

    struct Readiness: Codable, Sendable {
        var batch: String
        var ready: Bool
        var blockers: [String]
        /// Candidates may still ask for a re-check (not a blocker: the rule is open requests).
        var recheckWindowOpen: Bool
    }

    /// Whether the batch may go to certification: published, and no re-check open.
    func certification(_ id: String) async throws -> Readiness {
        let batch = try await batch(id)
        var blockers: [String] = []
        if batch.publishedAt == nil { blockers.append("成绩尚未发布 (the results are not published)") }
        let open = try await store.results.rechecks(batch: id).filter { $0.status == "open" }.count
        if open > 0 { blockers.append("有\(open)件成绩复核申请尚未处理 (\(open) re-check request(s) are open)") }
        let windowOpen = batch.recheckUntil.map { runtime.clock.now() <= $0 } ?? false
        return Readiness(batch: id, ready: blockers.isEmpty, blockers: blockers, recheckWindowOpen: windowOpen)
    }
}
