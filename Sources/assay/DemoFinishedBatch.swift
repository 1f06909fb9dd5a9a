import Accounts
import Audit
import Delivery
import Documents
import ExamCore
import ExamServer
import Foundation
import ItemBank
import Logging
import PaperAssembly
import Storage

/// The demo's finished batch: a theory and a practical sitting held two days ago by the demo's
/// approved candidates, handed in and scored, most of the practical submissions marked by the
/// panel, the demo examiner's own sheets left to mark at /marking.html, one misconduct decision
/// of each applied kind, and the batch the exam administrator publishes at /results.html.
/// Seeded once per data directory.
extension DemoAdministration {
    static let finishedVenue = "示范考点（已结束）"

    /// The clock of the day the sittings were planned: three days ago.
    struct EarlierClock: WallClock {
        let offset: TimeInterval
        func now() -> Date { Date().addingTimeInterval(offset) }
    }

    static func finishedBatch(
        database: SQLiteDatabase, directory: DataDirectory, standards: [OccupationStandard], blueprints: String, shares: [CustodianShare]
    ) async throws -> String? {
        let store = database.store
        if let done = try await store.results.batches().first(where: { batch in batch.occupation == occupation }) {
            return note(done)
        }
        guard let examAdmin = try await store.accounts.account(username: "examadmin"), let examiner = try await store.accounts.account(username: "examiner"),
            let bankRecord = try await store.items.bankKey()
        else { return nil }
        let actor = examAdmin.id.rawValue
        let planned = SittingService(store: store, standards: standards, clock: EarlierClock(offset: -3 * 86400))
        let format = ISO8601DateFormatter()
        format.timeZone = CalendarDate.calendar.timeZone
        let day = CalendarDate.calendar.startOfDay(for: Date().addingTimeInterval(-2 * 86400))

        // Two sittings two days ago: theory at 09:00, practical at 14:00 (Beijing).
        var sittings: [ExamPart: SittingRecord] = [:]
        for (part, hour) in [(ExamPart.theory, 9), (.ability, 14)] {
            let created = try await planned.create(
                .init(occupation: occupation, level: .junior, direction: direction, part: part,
                      startsAt: format.string(from: day.addingTimeInterval(TimeInterval(hour * 3600))), venue: finishedVenue,
                      rooms: [.init(name: part == .theory ? "理论第一考场" : "实操第一考场", capacity: 40)]),
                actor: actor
            )
            _ = try await planned.place(created.id, actor: actor)
            var record = try await planned.drawStaff(created.id, actor: actor)
            // The demo examiner marks on the practical panel; another examiner chairs it.
            if part == .ability, let room = record.plan.rooms.first, room.staff.contains(examiner.id), room.chief == examiner.id {
                record = try await planned.assignStaff(created.id, room: room.name, staff: room.staff, chief: room.staff.first { $0 != examiner.id }, actor: actor)
            }
            if let supervisor = try await store.accounts.account(username: "supervisor") {
                _ = try await planned.setSupervisors(created.id, [supervisor.id], actor: actor)
            }
            sittings[part] = try await planned.publish(created.id, actor: actor)
        }
        guard let theory = sittings[.theory], let ability = sittings[.ability] else { return nil }

        // Papers assembled and sealed, released to the sittings.
        let papers = PaperService(store: store, standards: standards, blueprints: blueprints)
        let bank = try BankKeyCeremony.unseal(bankRecord, shares: shares)
        let clock = SystemWallClock()
        let runtime = DeliveryRuntime(
            store: store, clock: clock, standards: standards, vault: BankVault(store: store, clock: clock),
            personalKey: try PersonalDataKey(rawRepresentation: directory.personalDataKey { PersonalDataKey.generate().raw }), logger: Logger(label: "demo")
        )
        var packages: [String: [PaperPackage]] = [:]
        for (record, part, forms) in [(theory, "theory", 2), (ability, "ability", 1)] {
            let (assembly, _) = try await papers.save(
                .init(exam: occupation.rawValue, level: Level.junior.rawValue, direction: direction, part: part, forms: forms, seed: 2026),
                replacing: nil, actor: actor
            )
            let sealed = try await papers.seal(assembly.id, bank: bank, actor: Init.operatorActor)
            try await runtime.assignPapers(record.id, sealed.map(\.id), actor: actor)
            var opened: [PaperPackage] = []
            for paper in sealed { opened.append(try await runtime.prerelease(paper.id, sitting: record.id, bank: bank, actor: Init.operatorActor)) }
            packages[record.id] = opened
        }

        // Everyone sits both parts but one, who is absent from the practical; answers follow each
        // candidate's ability, the same on every run.
        let candidates = theory.plan.rooms.flatMap(\.candidates).map(\.rawValue)
        let strength = { @Sendable (candidate: String) -> Double in
            guard let index = candidates.firstIndex(of: candidate) else { return 0.7 }
            return 0.38 + Double((index * 37) % 60) / 100
        }
        let absent = candidates.dropFirst(3).first
        for record in [theory, ability] {
            guard let forms = packages[record.id], !forms.isEmpty else { continue }
            let seated = record.plan.rooms.flatMap(\.candidates).map(\.rawValue)
            let assignment = seated.enumerated().map { (candidate: $1, paperID: forms[$0 % forms.count].paperID) }
            try await store.delivery.start(
                record.id, at: record.startsAt, attempts: assignment, actor: "system",
                audit: AuditEvent(actor: "system", action: "sitting.started", subject: "sitting:\(record.id)", payload: ["demo": .bool(true)])
            )
            var changes: [DeliveryChange] = []
            for (index, candidate) in seated.enumerated() {
                let package = forms[index % forms.count]
                let handedIn = record.startsAt.addingTimeInterval(TimeInterval(record.durationMinutes * 60 - 300 - index * 20))
                if record.part == .ability && candidate == absent {
                    changes.append(.handIn(
                        sitting: record.id, candidate: candidate, at: record.startsAt.addingTimeInterval(TimeInterval(record.durationMinutes * 60)), reason: .deadline,
                        receipt: Receipt(sitting: record.id, candidate: candidate, handedInAt: handedIn, reason: .deadline, answers: [:], items: package.items.count)
                    ))
                    continue
                }
                changes.append(.connected(sitting: record.id, candidate: candidate, at: record.startsAt.addingTimeInterval(30)))
                var random = SeededGenerator(seed: UInt64(index + 1) &* 0x9E37_79B9 &+ (record.part == .theory ? 1 : 2))
                let answers = demoAnswers(package, seed: DeliveredPaper.seed(sitting: record.id, candidate: candidate), ability: strength(candidate), random: &random)
                var seq = 0
                for (key, answer) in answers.sorted(by: { $0.key < $1.key }) {
                    seq += 1
                    let position = Int(key.dropFirst())! - 1
                    let item = Presentation.make(for: package, seed: DeliveredPaper.seed(sitting: record.id, candidate: candidate)).entries[position].item
                    changes.append(.answer(
                        sitting: record.id, candidate: candidate, key: key, itemID: package.items[item].id.rawValue, seq: seq, answer: answer,
                        at: record.startsAt.addingTimeInterval(TimeInterval(60 + seq * 30))
                    ))
                }
                changes.append(.handIn(
                    sitting: record.id, candidate: candidate, at: handedIn, reason: .candidate,
                    receipt: Receipt(sitting: record.id, candidate: candidate, handedInAt: handedIn, reason: .candidate, answers: answers, items: package.items.count)
                ))
            }
            try await store.delivery.apply(changes)
            try await runtime.settle(record.id)
        }

        // A warning in theory, and a deduction for answering after the end signal in the practical.
        let decidedBy = ability.plan.rooms.first?.chief?.rawValue ?? actor
        for (record, candidate, tier, points, reason) in [
            (theory, candidates.dropFirst(5).first, MisconductTier.warning, Int?.none, "多次切出考试页面，已口头警告"),
            (ability, candidates.dropFirst(6).first, .deduction, 10, "考试结束信号发出后继续操作"),
        ] {
            guard let candidate else { continue }
            _ = try await store.proctoring.recordMisconduct(
                MisconductRecord(
                    sitting: record.id, candidate: candidate, tier: tier, points: points, banYears: nil, reason: reason, evidence: .init(events: [], snapshots: []),
                    terminated: false, decidedBy: decidedBy, decidedAt: record.startsAt.addingTimeInterval(TimeInterval(record.durationMinutes * 60))
                ),
                audit: AuditEvent(actor: decidedBy, action: "proctor.misconduct", subject: "sitting:\(record.id)", payload: ["tier": .string(tier.rawValue)])
            )
        }

        // The panel marks; the demo examiner's sheets wait for them.
        _ = try await runtime.demoMarking(ability.id, leaving: examiner.id, ability: strength)
        let now = Date()
        var generator = SystemRandomNumberGenerator()
        let batch = BatchRecord(
            id: "B-\(CalendarDate.minute(now).prefix(10).replacingOccurrences(of: "-", with: ""))-" + (0..<3).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString.uppercased(),
            occupation: occupation, level: .junior, direction: direction, theory: theory.id, ability: ability.id, recheckDays: 10, createdBy: actor, createdAt: now
        )
        try await store.results.createBatch(
            batch, audit: AuditEvent(actor: actor, action: "results.batch_created", subject: "batch:\(batch.id)", payload: ["demo": .bool(true)])
        )
        return note(batch)
    }

    /// A candidate's answers to a paper as shown to them: right with probability `ability`.
    static func demoAnswers(_ package: PaperPackage, seed: UInt64, ability: Double, random: inout SeededGenerator) -> [String: Answer] {
        var answers: [String: Answer] = [:]
        for (position, entry) in Presentation.make(for: package, seed: seed).entries.enumerated() {
            let item = package.items[entry.item]
            let key = "Q\(position + 1)"
            let right = random.unit() < ability
            // The letter the candidate saw for a canonical option.
            let shown = Dictionary(entry.options.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            switch (item.type, item.content.answer) {
            case (.singleChoice, .option(let correct)?):
                let wrong = item.content.options.keys.filter { $0 != correct }.sorted()
                let pick = right || wrong.isEmpty ? correct : wrong[Int(random.next() % UInt64(wrong.count))]
                answers[key] = .choice(shown[pick] ?? pick)
            case (.multipleChoice, .options(let correct)?):
                var chosen = correct
                if !right {
                    let extra = item.content.options.keys.filter { !correct.contains($0) }.sorted().prefix(1)
                    chosen = correct.count > 1 && random.unit() < 0.5 ? Array(correct.dropLast()) : correct + extra
                }
                answers[key] = .choices(chosen.map { shown[$0] ?? $0 }.sorted())
            case (.trueFalse, .truth(let truth)?):
                answers[key] = .value(right ? truth : !truth)
            case (.fillIn, .blanks(let blanks)?):
                answers[key] = .blanks(blanks.map { right ? ($0.first ?? "") : "不确定" })
            case (.shortAnswer, _):
                answers[key] = .text(right ? "要点一：明确需求与指标；要点二：选择合适的方法并说明理由；要点三：验证结果。" : "按经验处理。")
            case (.practicalTask, _):
                answers[key] = .work(text: Self.practicalAnswer(complete: ability > 0.6), files: [])
            default:
                break
            }
            if item.type != .practicalTask, random.unit() < 0.03 { answers[key] = nil }
        }
        return answers
    }

    static func practicalAnswer(complete: Bool) -> String {
        var text = """
            一、环境准备
            python -m venv .venv && . .venv/bin/activate
            pip install -r requirements.txt

            二、推理接口实现
            ```python
            from fastapi import FastAPI
            app = FastAPI()

            @app.post("/predict")
            def predict(payload: dict):
                features = preprocess(payload["data"])
                return {"label": model.predict(features).tolist()}
            ```
            """
        if complete {
            text += "\n三、测试与结果\n使用验证集 500 条样本测试：准确率 0.93，平均响应 38 ms；压测 200 并发无错误。\n"
        }
        return text
    }

    static func note(_ batch: BatchRecord) -> String {
        "Finished batch \(batch.id) (theory \(batch.theory), practical \(batch.ability), held two days ago): examiner marks the practical submissions left at /marking.html; examadmin publishes the results at /results.html, supervisor reads the statistics there; then candidate sees their result and may ask for a re-check"
    }
}

extension SeededGenerator {
    /// A number in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
