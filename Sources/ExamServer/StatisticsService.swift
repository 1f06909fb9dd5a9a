import Accounts
import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring
import Storage

/// Item and marking statistics of a sitting for quality supervisors (issue 7 §5, definitions in
/// docs/MARKING.md): per paper, each item's difficulty, discrimination and distractors and the
/// paper's KR-20; per marked item, the examiners' agreement (ICC) and each examiner's severity.
struct StatisticsService: Sendable {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }

    struct ItemStatistics: Codable, Sendable {
        var key: String
        var item: String
        var version: Int
        var type: ItemType
        var points: Double
        var responses: Int
        var p: Double
        var pointBiserial: Double?
        var discrimination: Double?
        var distractors: [String: Int]?
        var answerKey: [String]?
        var flags: [String]
    }

    struct PaperStatistics: Codable, Sendable {
        var paper: String
        var candidates: Int
        var kr20: Double?
        var items: [ItemStatistics]
    }

    struct TaskStatistics: Codable, Sendable {
        var item: String
        var version: Int
        var points: Double
        var pairs: Int
        var icc: Double?
        var meanDifference: Double?
    }

    struct ExaminerStatistics: Codable, Sendable {
        var examiner: String
        var name: String
        var marks: Int
        var severity: Double?
    }

    struct MarkingStatistics: Codable, Sendable {
        var submissions: Int
        var doubleMarked: Int
        var adjudicated: Int
        var adjudicationRate: Double?
        var tasks: [TaskStatistics]
        var examiners: [ExaminerStatistics]
    }

    struct Report: Codable, Sendable {
        var sitting: String
        var part: ExamPart
        var papers: [PaperStatistics]
        var marking: MarkingStatistics
    }

    func report(_ sitting: String) async throws -> Report {
        guard let record = try await store.sittings.sitting(id: sitting) else {
            throw ExamError(.notFound, code: "not_found", message: "没有场次 \(sitting) (no such sitting)")
        }
        try await MarkingService(runtime: runtime).prepare(sitting)
        return Report(sitting: sitting, part: record.part, papers: try await papers(sitting), marking: try await marking(sitting))
    }

    private func papers(_ sitting: String) async throws -> [PaperStatistics] {
        let decoder = JSONDecoder()
        let corrections = await ScoringQueue.loadCorrections(store)
        let answers = Dictionary(
            try await store.delivery.attempts(sitting).map { ($0.candidate, $0.attempt.answers.compactMapValues(\.answer)) }, uniquingKeysWith: { first, _ in first }
        )
        var result: [PaperStatistics] = []
        for (paperID, scores) in Dictionary(grouping: try await store.delivery.scores(sitting), by: \.paperID).sorted(by: { $0.key < $1.key }) {
            let package = ObjectiveScoring.PreparedPaper(try await runtime.release(paperID, sitting: sitting), corrections: corrections).package
            // Per candidate: item id → the share of its points earned, and the canonical letters chosen.
            var earned: [[String: Double]] = []
            var chosen: [[String: [String]]] = []
            var answered: [String: Int] = [:]
            for score in scores {
                let items = try decoder.decode([ItemScore].self, from: Data(score.items.utf8))
                earned.append(Dictionary(items.compactMap { item in item.awarded.map { (item.item, item.points > 0 ? $0 / item.points : 0) } }, uniquingKeysWith: { first, _ in first }))
                let presentation = Presentation.make(for: package, seed: DeliveredPaper.seed(sitting: sitting, candidate: score.candidate))
                var letters: [String: [String]] = [:]
                for (position, entry) in presentation.entries.enumerated() {
                    let item = package.items[entry.item].id.rawValue
                    let answer = answers[score.candidate]?["Q\(position + 1)"]
                    if let answer, Self.gives(answer) { answered[item, default: 0] += 1 }
                    switch answer {
                    case .choice(let letter)?: letters[item] = entry.options[letter].map { [$0] } ?? []
                    case .choices(let given)?: letters[item] = given.compactMap { entry.options[$0] }
                    case .value(let value)?: letters[item] = [value ? "true" : "false"]
                    default: letters[item] = []
                    }
                }
                chosen.append(letters)
            }
            let objective = package.items.enumerated().filter { $0.element.type.isObjective }
            // Totals of the objective items, in the same share-weighted points the scores hold.
            let totals = earned.map { shares in objective.reduce(0.0) { $0 + (shares[$1.element.id.rawValue] ?? 0) * $1.element.points } }
            var items: [ItemStatistics] = []
            var matrix: [[Bool]] = Array(repeating: [], count: scores.count)
            for (index, item) in objective {
                let id = item.id.rawValue
                let shares = earned.map { $0[id] ?? 0 }
                let p = shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)
                let rest = zip(totals, shares).map { $0 - $1 * item.points }
                let discrimination = Statistics.pearson(shares, rest)
                for row in matrix.indices { matrix[row].append(shares[row] >= 1 - 1e-9) }
                var distractors: [String: Int]?
                var key: [String]?
                switch item.content.answer {
                case .option(let letter)?: key = [letter]
                case .options(let letters)?: key = letters.sorted()
                case .truth(let truth)?: key = [truth ? "true" : "false"]
                default: key = nil
                }
                if item.type == .singleChoice || item.type == .multipleChoice || item.type == .trueFalse {
                    var counts: [String: Int] = [:]
                    if item.type == .trueFalse {
                        counts = ["true": 0, "false": 0]
                    } else {
                        for letter in item.content.options.keys { counts[letter] = 0 }
                    }
                    counts["-"] = 0
                    for letters in chosen {
                        let given = letters[id] ?? []
                        if given.isEmpty { counts["-", default: 0] += 1 }
                        for letter in given { counts[letter, default: 0] += 1 }
                    }
                    distractors = counts
                }
                items.append(ItemStatistics(
                    key: "Q\(index + 1)", item: id, version: item.version, type: item.type, points: item.points,
                    responses: answered[id] ?? 0,
                    p: p, pointBiserial: Statistics.pearson(shares, totals), discrimination: discrimination, distractors: distractors, answerKey: key,
                    flags: Statistics.flags(p: p, discrimination: discrimination)
                ))
            }
            result.append(PaperStatistics(paper: paperID, candidates: scores.count, kr20: Statistics.kr20(matrix), items: items))
        }
        return result
    }

    /// Whether an answer says anything (an empty selection or blank text does not).
    static func gives(_ answer: Answer) -> Bool {
        switch answer {
        case .choice(let letter): !letter.isEmpty
        case .choices(let letters): !letters.isEmpty
        case .value: true
        case .blanks(let blanks): blanks.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        case .text(let text): !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .work(let text, let files): !files.isEmpty || !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
    }

    private func marking(_ sitting: String) async throws -> MarkingStatistics {
        let decoder = JSONDecoder()
        let submissions = try await store.marking.submissions(sitting: sitting)
        let sheets = Dictionary(grouping: try await store.marking.sheets(sitting: sitting), by: \.code)
        var pairs: [String: (version: Int, points: Double, values: [(Double, Double)])] = [:]
        var severity: [String: [Double]] = [:]
        var marks: [String: Int] = [:]
        var doubleMarked = 0
        var adjudicated = 0
        for submission in submissions {
            let signed = Dictionary((sheets[submission.code] ?? []).filter { $0.signedAt != nil }.map { ($0.role, $0) }, uniquingKeysWith: { first, _ in first })
            for sheet in signed.values { marks[sheet.examiner, default: 0] += 1 }
            if submission.adjudicated || submission.status == "adjudication" { adjudicated += 1 }
            guard let first = signed["first"], let second = signed["second"] else { continue }
            doubleMarked += 1
            severity[first.examiner, default: []].append(first.total - second.total)
            severity[second.examiner, default: []].append(second.total - first.total)
            let firstSheet = try decoder.decode(MarkSheet.self, from: Data(first.sheet.utf8))
            let secondSheet = try decoder.decode(MarkSheet.self, from: Data(second.sheet.utf8))
            for item in try MarkingService.items(of: submission) {
                let key = "\(item.item)@\(item.version)"
                var entry = pairs[key] ?? (item.version, item.worth, [])
                entry.values.append((firstSheet.total(of: item.key), secondSheet.total(of: item.key)))
                pairs[key] = entry
            }
        }
        let tasks = pairs.sorted { $0.key < $1.key }.map { key, entry in
            TaskStatistics(
                item: String(key.split(separator: "@").first ?? ""), version: entry.version, points: entry.points, pairs: entry.values.count,
                icc: Statistics.icc(entry.values),
                meanDifference: entry.values.isEmpty ? nil : entry.values.reduce(0) { $0 + $1.0 - $1.1 } / Double(entry.values.count)
            )
        }
        var examiners: [ExaminerStatistics] = []
        for (examiner, count) in marks.sorted(by: { $0.key < $1.key }) {
            let name = (try? await store.accounts.account(id: AccountID(rawValue: examiner)))?.displayName ?? examiner
            let differences = severity[examiner] ?? []
            examiners.append(ExaminerStatistics(
                examiner: examiner, name: name, marks: count, severity: differences.isEmpty ? nil : differences.reduce(0, +) / Double(differences.count)
            ))
        }
        return MarkingStatistics(
            submissions: submissions.count, doubleMarked: doubleMarked, adjudicated: adjudicated,
            adjudicationRate: doubleMarked == 0 ? nil : Double(adjudicated) / Double(doubleMarked), tasks: tasks, examiners: examiners
        )
    }
}
