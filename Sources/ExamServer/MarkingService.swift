import Accounts
import Audit
import Delivery
import Documents
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring
import Storage

/// Blind double marking (issue 7 §2, docs/MARKING.md): hand-ins with items for examiners become
/// submissions known by a marking code; two unrelated examiners of the candidate's room mark each
/// one per scoring point and sign; the marking rule decides whether the chief examiner's third mark
/// is needed, and the third mark then decides. Examiners never see who the candidate is.
struct MarkingService: Sendable {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }

    enum Role: String, Codable, Sendable, CaseIterable {
        case first, second, third
    }

    static var encoder: JSONEncoder { ScoringQueue.encoder }

    /// The items a submission's examiners mark, as stored with it.
    static func items(of submission: SubmissionRecord) throws -> [MarkedItem] {
        try JSONDecoder().decode([MarkedItem].self, from: Data(submission.items.utf8))
    }

    // MARK: - Rules of a sitting

    /// The part's rules of a sitting's standard.
    func rules(of record: SittingRecord) throws -> PartRules {
        guard let rules = runtime.partRules(of: record) else {
            throw ExamError(.notFound, code: "no_standard", message: "找不到场次 \(record.id) 的职业标准 (no standard for the sitting)")
        }
        return rules
    }

    // MARK: - Making submissions and assigning markers

    /// Once the sitting is over, makes a submission for every hand-in with items left to examiners
    /// that has none yet (never an absent candidate's), assigns markers to those still unassigned,
    /// gives a waiting adjudication its third marker, and moves unsigned sheets away from examiners
    /// since disabled or related to the candidate. Idempotent and safe to call concurrently; cheap
    /// when there is nothing to do.
    func prepare(_ sitting: String) async throws {
        guard try await store.marking.needsPreparation(sitting: sitting),
            let record = try await store.sittings.sitting(id: sitting), record.status == .published
        else { return }
        // Marking opens when the sitting is over: a code appearing while candidates still hand in
        // would say who it is.
        let live = try await runtime.sitting(sitting)
        guard await live.isOver else { return }
        let existing = try await store.marking.submissions(sitting: sitting)
        let known = Set(existing.map(\.candidate))
        let present = try await store.delivery.present(sitting)
        let fresh = try await store.delivery.scores(sitting).filter { $0.pending > 0 && !known.contains($0.candidate) && present.contains($0.candidate) }

        let relations = try await store.sittings.relations()
        let unavailable = try await disabledStaff(record)
        var load = try await store.marking.load(sitting: sitting)
        let now = runtime.clock.now()
        var codes = Set(existing.map(\.code))
        var submissions: [SubmissionRecord] = []
        var sheets: [SheetRecord] = []
        var packages: [String: PaperPackage] = [:]
        let decoder = JSONDecoder()
        for score in fresh {
            if packages[score.paperID] == nil { packages[score.paperID] = try await runtime.release(score.paperID, sitting: sitting) }
            guard let package = packages[score.paperID] else { continue }
            let items = try Self.markedItems(try decoder.decode([ItemScore].self, from: Data(score.items.utf8)), package: package)
            guard !items.isEmpty else { continue }
            var code = Self.newCode()
            while codes.contains(code) { code = Self.newCode() }
            codes.insert(code)
            let room = live.seats[score.candidate]?.room ?? ""
            let markers = Self.draw(record: record, room: room, candidate: score.candidate, relations: relations, excluding: unavailable, load: load)
            submissions.append(SubmissionRecord(
                code: code, sitting: sitting, candidate: score.candidate, room: room,
                items: String(decoding: try Self.encoder.encode(items), as: UTF8.self), worth: items.reduce(0) { $0 + $1.worth },
                status: markers.count == 2 ? "marking" : "unassigned", reason: markers.count == 2 ? nil : Self.noMarkers, createdAt: now
            ))
            for (role, examiner) in zip([Role.first, .second], markers) {
                sheets.append(SheetRecord(code: code, role: role.rawValue, examiner: examiner, sheet: "{}", total: 0, assignedAt: now))
                load[examiner, default: 0] += 1
            }
        }
        _ = try await store.marking.createSubmissions(
            submissions, sheets: sheets,
            audit: AuditEvent(actor: "system", action: "marking.submissions_created", subject: "sitting:\(sitting)", payload: ["count": .int(submissions.count)])
        )
        for submission in existing where submission.status == "unassigned" {
            let markers = Self.draw(
                record: record, room: submission.room, candidate: submission.candidate, relations: relations, excluding: unavailable, load: load
            )
            guard markers.count == 2 else { continue }
            let assigned = try await store.marking.assign(
                code: submission.code,
                sheets: zip([Role.first, .second], markers).map { SheetRecord(code: submission.code, role: $0.rawValue, examiner: $1, sheet: "{}", total: 0, assignedAt: now) },
                audit: AuditEvent(actor: "system", action: "marking.assigned", subject: "marking:\(submission.code)")
            )
            if assigned { for examiner in markers { load[examiner, default: 0] += 1 } }
        }
        for submission in existing where submission.status == "adjudication" {
            let holders = Set(try await store.marking.sheets(code: submission.code).map(\.examiner))
            guard !holders.isEmpty, let third = Self.adjudicator(
                record: record, room: submission.room, candidate: submission.candidate, relations: relations, markers: holders.union(unavailable), load: load
            ) else { continue }
            try await store.marking.addThird(
                SheetRecord(code: submission.code, role: Role.third.rawValue, examiner: third, sheet: "{}", total: 0, assignedAt: now),
                audit: AuditEvent(actor: "system", action: "marking.assigned", subject: "marking:\(submission.code)", payload: ["role": .string("third")])
            )
        }
        let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for conflicted in try await store.marking.conflictedSheets(sitting: sitting) {
            guard let submission = byCode[conflicted.code] else { continue }
            let holders = Set(try await store.marking.sheets(code: conflicted.code).map(\.examiner))
            let replacement = conflicted.role == Role.third.rawValue
                ? Self.adjudicator(record: record, room: submission.room, candidate: submission.candidate, relations: relations, markers: holders.union(unavailable), load: load)
                : Self.draw(
                    record: record, room: submission.room, candidate: submission.candidate, relations: relations, excluding: holders.union(unavailable), load: load,
                    count: 1
                ).first
            guard let replacement else { continue }
            try await store.marking.reassign(
                code: conflicted.code, role: conflicted.role, from: conflicted.examiner, to: replacement, at: now,
                audit: AuditEvent(
                    actor: "system", action: "marking.reassigned", subject: "marking:\(conflicted.code)",
                    payload: ["role": .string(conflicted.role), "from": .string(conflicted.examiner), "to": .string(replacement)]
                )
            )
            load[replacement, default: 0] += 1
        }
    }

    /// The sitting's staff whose accounts are disabled.
    private func disabledStaff(_ record: SittingRecord) async throws -> Set<String> {
        var disabled: Set<String> = []
        for member in Set(record.plan.rooms.flatMap(\.staff)) where try await store.accounts.account(id: member)?.disabled ?? true {
            disabled.insert(member.rawValue)
        }
        return disabled
    }

    static let noMarkers = "本考场及本场次没有两名无回避关系的考评员可评阅 (no two unrelated examiners are available)"

    /// The items examiners mark on a hand-in, with the scoring tables of the paper's item versions.
    static func markedItems(_ scores: [ItemScore], package: PaperPackage) throws -> [MarkedItem] {
        scores.filter { $0.awarded == nil }.compactMap { score in
            guard let item = package.items.first(where: { $0.id.rawValue == score.item && $0.version == score.version }) else { return nil }
            return MarkedItem(
                key: score.key, item: score.item, version: score.version, type: score.type, points: score.points, scoring: item.content.scoring,
                reference: item.content.referenceAnswer
            )
        }
    }

    /// A marking code: `MK-` and 8 random Crockford base32 characters.
    static func newCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return "MK-" + String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Up to two markers (or one, for `excluding` a pair) for a candidate: the room's examiners
    /// but its chief, the least loaded first; then the chief; then the whole sitting's staff.
    /// Never one related to the candidate, never one in `excluding`.
    static func draw(
        record: SittingRecord, room: String, candidate: String, relations: [StaffRelation], excluding: Set<String>, load: [String: Int], count: Int = 2
    ) -> [String] {
        let related = Set(relations.filter { $0.candidate.rawValue == candidate }.map(\.staff.rawValue))
        let plan = record.plan.rooms.first { $0.name == room }
        let chief = plan?.chief?.rawValue
        var generator = SystemRandomNumberGenerator()
        func ranked(_ pool: [String]) -> [String] {
            pool.filter { !related.contains($0) && !excluding.contains($0) && $0 != candidate }
                .map { ($0, load[$0] ?? 0, UInt64.random(in: .min ... .max, using: &generator)) }
                .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
        }
        let roomStaff = (plan?.staff ?? []).map(\.rawValue)
        var chosen = ranked(roomStaff.filter { $0 != chief })
        if chosen.count < count, let chief { chosen += ranked([chief]) }
        if chosen.count < count {
            let everyone = record.plan.rooms.flatMap(\.staff).map(\.rawValue)
            chosen += ranked(everyone.filter { !chosen.contains($0) })
        }
        var unique: [String] = []
        for examiner in chosen where !unique.contains(examiner) { unique.append(examiner) }
        return unique.count >= count ? Array(unique.prefix(count)) : []
    }

    /// The third marker: the room's chief examiner if free to mark, else another unrelated examiner of the sitting.
    static func adjudicator(record: SittingRecord, room: String, candidate: String, relations: [StaffRelation], markers: Set<String>, load: [String: Int]) -> String? {
        let related = Set(relations.filter { $0.candidate.rawValue == candidate }.map(\.staff.rawValue))
        if let chief = record.plan.rooms.first(where: { $0.name == room })?.chief?.rawValue, !related.contains(chief), !markers.contains(chief) {
            return chief
        }
        let everyone = record.plan.rooms.flatMap(\.staff).map(\.rawValue).filter { !related.contains($0) && !markers.contains($0) && $0 != candidate }
        return everyone.min { (load[$0] ?? 0, $0) < (load[$1] ?? 0, $1) }
    }

    // MARK: - The examiner's side

    struct QueueEntry: Codable, Sendable {
        var code: String
        var sitting: String
        var title: String
        var role: String
        var status: String
        var submissionStatus: String
        var items: Int
        var points: Double
        var savedAt: Date?
        var signedAt: Date?
    }

    /// The examiner's assignments, after making submissions for the sittings they staff.
    func queue(for examiner: AccountID) async throws -> [QueueEntry] {
        let sittings = try await store.sittings.sittings().filter { record in
            record.status == .published && record.plan.rooms.contains { $0.staff.contains(examiner) }
        }
        for record in sittings { try await prepare(record.id) }
        var titles: [String: String] = [:]
        var entries: [QueueEntry] = []
        for (submission, sheet) in try await store.marking.assignments(examiner: examiner.rawValue) {
            if titles[submission.sitting] == nil, let record = try await store.sittings.sitting(id: submission.sitting) {
                titles[submission.sitting] = runtime.title(of: record)
            }
            let items = (try? Self.items(of: submission)) ?? []
            entries.append(QueueEntry(
                code: submission.code, sitting: submission.sitting, title: titles[submission.sitting] ?? submission.sitting, role: sheet.role,
                status: sheet.signedAt != nil ? "signed" : (sheet.savedAt != nil ? "draft" : "todo"), submissionStatus: submission.status,
                items: items.count, points: submission.worth, savedAt: sheet.savedAt, signedAt: sheet.signedAt
            ))
        }
        return entries
    }

    struct FileView: Codable, Sendable {
        var id: String
        var name: String
        var type: String
        var size: Int
    }

    struct AnswerView: Codable, Sendable {
        var text: String?
        var files: [FileView]
    }

    struct ItemView: Codable, Sendable {
        var key: String
        var type: ItemType
        var points: Double
        var stem: String
        var statement: String?
        var preparation: String?
        var materials: [Material]
        var referenceAnswer: String?
        var scoring: [ScoringPoint]
        var answer: AnswerView
    }

    struct SheetView: Codable, Sendable {
        var role: String
        var marks: [String: [Double?]]
        var comments: [String: String]
        var comment: String
        var total: Double
        var savedAt: Date?
        var signedAt: Date?
    }

    struct SubmissionView: Codable, Sendable {
        var code: String
        var role: String
        var status: String
        var title: String
        var points: Double
        var markStep: Double
        var items: [ItemView]
        var sheet: SheetView
        var others: [SheetView]?
    }

    /// The submission and the examiner's own sheet. - Throws: `not_assigned`.
    private func assigned(_ code: String, examiner: AccountID) async throws -> (SubmissionRecord, SheetRecord, [SheetRecord]) {
        guard let submission = try await store.marking.submission(code: code) else {
            throw ExamError(.notFound, code: "not_found", message: "没有评阅卷 \(code) (no such submission)")
        }
        let sheets = try await store.marking.sheets(code: code)
        guard let mine = sheets.first(where: { $0.examiner == examiner.rawValue }) else { throw Self.notAssigned }
        // A relation declared after the draw still counts: the sheet goes to someone else.
        if mine.signedAt == nil, try await store.sittings.relations().contains(where: { $0.staff == examiner && $0.candidate.rawValue == submission.candidate }) {
            throw ExamError(.forbidden, code: "related", message: "您与该考生存在回避关系，不能评阅此卷 (you declared a relation with this candidate)")
        }
        return (submission, mine, sheets)
    }

    static let notAssigned = ExamError(.forbidden, code: "not_assigned", message: "该评阅卷未分配给您 (this submission is not assigned to you)")

    static func view(_ sheet: SheetRecord) -> SheetView {
        let decoded = (try? JSONDecoder().decode(MarkSheet.self, from: Data(sheet.sheet.utf8))) ?? MarkSheet()
        return SheetView(
            role: sheet.role, marks: decoded.marks, comments: decoded.comments, comment: decoded.comment, total: sheet.total, savedAt: sheet.savedAt,
            signedAt: sheet.signedAt
        )
    }

    /// What an assigned examiner sees: the items, the scoring tables, the candidate's answers and
    /// files (named by item, never by the candidate's file name), their own sheet; the third
    /// marker also the two signed sheets. Nothing that identifies the candidate.
    func submission(_ code: String, examiner: AccountID) async throws -> SubmissionView {
        let (submission, mine, sheets) = try await assigned(code, examiner: examiner)
        guard let record = try await store.sittings.sitting(id: submission.sitting) else { throw Self.notAssigned }
        let items = try Self.items(of: submission)
        let attempt = try await store.delivery.attempt(submission.sitting, candidate: submission.candidate)
        let answers = attempt?.attempt.answers.compactMapValues(\.answer) ?? [:]
        var package: PaperPackage?
        if let attempt { package = try await runtime.release(attempt.paperID, sitting: submission.sitting) }
        let files = try await store.proctoring.files(submission.sitting, candidate: submission.candidate)
        var views: [ItemView] = []
        for item in items {
            let content = package?.items.first { $0.id.rawValue == item.item && $0.version == item.version }?.content
            let answer = answers[item.key]
            var text: String?
            switch answer {
            case .text(let given)?: text = given
            case .work(let given, _)?: text = given
            default: text = nil
            }
            let named = (answer?.files ?? []).enumerated().compactMap { index, id -> FileView? in
                guard let info = files.first(where: { $0.id == id }) else { return nil }
                return FileView(id: id, name: Self.blindName(info, key: item.key, index: index), type: info.mediaType, size: info.bytes)
            }
            views.append(ItemView(
                key: item.key, type: item.type, points: item.points, stem: content?.stem ?? "", statement: content?.statement, preparation: content?.preparation,
                materials: content?.materials ?? [], referenceAnswer: content?.referenceAnswer, scoring: item.scoring,
                answer: AnswerView(text: text, files: named)
            ))
        }
        let others = mine.role == Role.third.rawValue ? sheets.filter { $0.role != Role.third.rawValue && $0.signedAt != nil }.map(Self.view) : nil
        return SubmissionView(
            code: submission.code, role: mine.role, status: submission.status, title: runtime.title(of: record), points: submission.worth,
            markStep: try rules(of: record).marking.markStep, items: views, sheet: Self.view(mine), others: others
        )
    }

    /// A file's name for examiners: the item and its place, never the name the candidate gave it.
    static func blindName(_ info: AnswerFileInfo, key: String, index: Int) -> String {
        "\(key)-附件\(index + 1).\(AnswerFileType(rawValue: info.mediaType)?.fileExtension ?? "bin")"
    }

    /// A file of an assigned submission, decrypted. - Throws: `not_assigned`, `not_found`.
    func file(_ code: String, file: String, examiner: AccountID) async throws -> (name: String, type: String, data: Data) {
        let (submission, _, _) = try await assigned(code, examiner: examiner)
        let attempt = try await store.delivery.attempt(submission.sitting, candidate: submission.candidate)
        let answers = attempt?.attempt.answers.compactMapValues(\.answer) ?? [:]
        guard let (key, answer) = answers.first(where: { $0.value.files.contains(file) }),
            let found = try await store.proctoring.file(id: file), found.info.sitting == submission.sitting, found.info.candidate == submission.candidate
        else {
            throw ExamError(.notFound, code: "not_found", message: "没有该文件 (no such file)")
        }
        let data = try runtime.personalKey.open(
            .init(box: found.sealed.box, wrappedKey: found.sealed.wrappedKey), id: "answer-file:\(file)", owner: submission.candidate
        )
        return (Self.blindName(found.info, key: key, index: answer.files.firstIndex(of: file) ?? 0), found.info.mediaType, data)
    }

    /// Saves a draft sheet. - Throws: `not_assigned`, `invalid_marks`, `already_signed`.
    func save(_ code: String, sheet: MarkSheet, examiner: AccountID) async throws -> SheetView {
        let (submission, mine, _) = try await assigned(code, examiner: examiner)
        if mine.signedAt != nil { throw Self.alreadySigned }
        let step = try await step(of: submission)
        let items = try Self.items(of: submission)
        try sheet.validate(items, step: step, complete: false)
        let now = runtime.clock.now()
        try await store.marking.save(
            code: code, role: mine.role, examiner: examiner.rawValue, sheet: String(decoding: try Self.encoder.encode(sheet), as: UTF8.self),
            total: sheet.total, at: now
        )
        var saved = mine
        saved.sheet = String(decoding: try Self.encoder.encode(sheet), as: UTF8.self)
        saved.total = sheet.total
        saved.savedAt = now
        return Self.view(saved)
    }

    static let alreadySigned = ExamError(.conflict, code: "already_signed", message: "评分已签名提交，不能再修改 (the sheet is signed and can no longer change)")

    private func step(of submission: SubmissionRecord) async throws -> Double {
        guard let record = try await store.sittings.sitting(id: submission.sitting) else { throw Self.notAssigned }
        return try rules(of: record).marking.markStep
    }

    struct Signed: Codable, Sendable {
        var code: String
        var role: String
        var total: Double
        var status: String
    }

    /// Signs the examiner's sheet (with `sheet` as its last content when given): every point must
    /// be marked. With both first marks signed the marking rule runs; a signed third mark decides.
    /// - Throws: `not_assigned`, `invalid_marks`, `incomplete`, `already_signed`, `draft_changed`.
    func sign(_ code: String, sheet given: MarkSheet?, examiner: AccountID) async throws -> Signed {
        let (submission, mine, _) = try await assigned(code, examiner: examiner)
        if mine.signedAt != nil { throw Self.alreadySigned }
        guard let record = try await store.sittings.sitting(id: submission.sitting) else { throw Self.notAssigned }
        let rules = try rules(of: record)
        let items = try Self.items(of: submission)
        let sheet = try given ?? JSONDecoder().decode(MarkSheet.self, from: Data(mine.sheet.utf8))
        try sheet.validate(items, step: rules.marking.markStep, complete: true)

        // What the decision needs, read before the signing transaction.
        let score = try await store.delivery.score(submission.sitting, candidate: submission.candidate)
        let objective = score?.objective ?? 0
        let maximum = score?.maximum ?? submission.worth
        let relations = try await store.sittings.relations()
        let load = try await store.marking.load(sitting: submission.sitting)
        let unavailable = try await disabledStaff(record)
        let points = items.reduce(0) { $0 + $1.points }
        let now = runtime.clock.now()
        let actor = examiner.rawValue
        let json = String(decoding: try Self.encoder.encode(sheet), as: UTF8.self)
        let updated = try await store.marking.sign(
            code: code, role: mine.role, examiner: actor, sheet: json, total: sheet.total, draftSavedAt: given == nil ? .some(mine.savedAt) : nil, at: now,
            audit: AuditEvent(actor: actor, action: "marking.signed", subject: "marking:\(code)", payload: ["role": .string(mine.role), "total": .double(sheet.total)])
        ) { sheets in
            let signed = Dictionary(sheets.filter { $0.signedAt != nil }.map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
            // A sheet in the paper's points (its items' tables scaled to their points on the paper).
            func score(_ sheet: SheetRecord) -> Double {
                ((try? JSONDecoder().decode(MarkSheet.self, from: Data(sheet.sheet.utf8))) ?? MarkSheet()).score(items)
            }
            if let third = signed[Role.third.rawValue] {
                let marked = score(third)
                return MarkingUpdate(
                    status: "final", reason: submission.reason, marked: marked, adjudicated: true, third: nil,
                    audit: AuditEvent(actor: actor, action: "marking.adjudicated", subject: "marking:\(code)", payload: ["marked": .double(marked)])
                )
            }
            guard let first = signed[Role.first.rawValue], let second = signed[Role.second.rawValue] else { return nil }
            // Both rules in the paper's points (tables worth other than their items are scaled).
            let decision = Marking.decide(
                first: score(first), second: score(second), worth: points, objective: objective, maximum: maximum,
                fullMarks: Double(rules.fullMarks), passMark: Double(rules.passMark), rules: rules.marking
            )
            if let marked = decision.marked {
                return MarkingUpdate(
                    status: "final", reason: nil, marked: marked, adjudicated: false, third: nil,
                    audit: AuditEvent(actor: "system", action: "marking.final", subject: "marking:\(code)", payload: ["marked": .double(marked)])
                )
            }
            let third = Self.adjudicator(
                record: record, room: submission.room, candidate: submission.candidate, relations: relations,
                markers: Set(sheets.map(\.examiner)).union(unavailable), load: load
            )
            let reason = decision.reasons.joined(separator: "；") + (third == nil ? "；" + Self.noAdjudicator : "")
            return MarkingUpdate(
                status: "adjudication", reason: reason, marked: nil, adjudicated: false,
                third: third.map { SheetRecord(code: code, role: Role.third.rawValue, examiner: $0, sheet: "{}", total: 0, assignedAt: now) },
                audit: AuditEvent(
                    actor: "system", action: "marking.adjudication_required", subject: "marking:\(code)",
                    payload: ["first": .double(first.total), "second": .double(second.total), "reason": .string(reason)]
                )
            )
        }
        return Signed(code: code, role: mine.role, total: sheet.total, status: updated.status)
    }

    static let noAdjudicator = "没有可仲裁的考评员 (no examiner is free to adjudicate)"

    // MARK: - Progress

    struct MarkerView: Codable, Sendable {
        var role: String
        var examiner: String
        var name: String
        var total: Double?
        var signed: Bool
    }

    struct ProgressRow: Codable, Sendable {
        var code: String
        var status: String
        /// Nil for a caller who marks in this sitting.
        var candidate: String?
        var name: String?
        var markers: [MarkerView]
        var marked: Double?
        var adjudicated: Bool
        var reason: String?
    }

    struct Progress: Codable, Sendable {
        var sitting: String
        var submissions: Int
        var final: Int
        var marking: Int
        var adjudication: Int
        var unassigned: Int
        var rows: [ProgressRow]
    }

    /// Marking progress of a sitting, for the exam administrator and supervisors. Who is behind a
    /// code is left out for a caller who also marks in this sitting (an account may hold several roles).
    func progress(_ sitting: String, caller: AccountID) async throws -> Progress {
        guard try await store.sittings.sitting(id: sitting) != nil else {
            throw ExamError(.notFound, code: "not_found", message: "没有场次 \(sitting) (no such sitting)")
        }
        try await prepare(sitting)
        let submissions = try await store.marking.submissions(sitting: sitting)
        let all = try await store.marking.sheets(sitting: sitting)
        let blind = all.contains { $0.examiner == caller.rawValue }
        let seats = try await runtime.sitting(sitting).seats
        let sheets = Dictionary(grouping: all, by: \.code)
        var names: [String: String] = [:]
        func name(_ id: String) async -> String {
            if let known = names[id] { return known }
            let found = (try? await store.accounts.account(id: AccountID(rawValue: id)))?.displayName ?? id
            names[id] = found
            return found
        }
        var rows: [ProgressRow] = []
        for submission in submissions {
            var markers: [MarkerView] = []
            for sheet in sheets[submission.code] ?? [] {
                markers.append(MarkerView(
                    role: sheet.role, examiner: sheet.examiner, name: await name(sheet.examiner), total: sheet.signedAt == nil ? nil : sheet.total,
                    signed: sheet.signedAt != nil
                ))
            }
            rows.append(ProgressRow(
                code: submission.code, status: submission.status, candidate: blind ? nil : submission.candidate,
                name: blind ? nil : seats[submission.candidate]?.name ?? submission.candidate, markers: markers,
                marked: submission.marked, adjudicated: submission.adjudicated, reason: submission.reason
            ))
        }
        func count(_ status: String) -> Int { submissions.filter { $0.status == status }.count }
        return Progress(
            sitting: sitting, submissions: submissions.count, final: count("final"), marking: count("marking"), adjudication: count("adjudication"),
            unassigned: count("unassigned"), rows: rows
        )
    }
}
