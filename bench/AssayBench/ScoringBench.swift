// `--scoring-only [--hand-ins N]`: objective scoring throughput on one core. A 100-item paper
// (40 single choice, 20 multiple choice, 20 true/false, 20 fill-in with two blanks each); N
// hand-ins (default 100,000) from 1,000 distinct candidates (each their own presentation and
// random answers, a quarter left blank), scored one after another the way the scoring queue does:
// the paper's keys prepared once, the candidate's presentation rebuilt from their seed, every item
// scored through it.
// Prints {"handIns", "seconds", "responsesPerSecond"} as JSON.
import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring

enum ScoringBench {
    static func run(handIns: Int) -> [String: Any] {
        var generator = SystemRandomNumberGenerator()
        let letters = ["A", "B", "C", "D"]
        var items: [PackagedItem] = []
        func add(_ type: ItemType, _ count: Int, points: Double, _ make: (Int) -> ItemContent) {
            for n in 0..<count { items.append(PackagedItem(id: ItemID(rawValue: "\(type.rawValue)-\(n)"), version: 1, type: type, points: points, content: make(n))) }
        }
        let options = Dictionary(uniqueKeysWithValues: letters.map { ($0, "选项\($0)的文字") })
        add(.singleChoice, 40, points: 1) { n in ItemContent(stem: "单选 \(n)", options: options, answer: .option(letters[n % 4])) }
        add(.multipleChoice, 20, points: 2) { n in ItemContent(stem: "多选 \(n)", options: options, answer: .options([letters[n % 4], letters[(n + 1) % 4]].sorted())) }
        add(.trueFalse, 20, points: 1) { n in ItemContent(stem: "判断 \(n)", answer: .truth(n % 2 == 0)) }
        add(.fillIn, 20, points: 1) { n in ItemContent(stem: "填空 ____(1) ____(2)", answer: .blanks([["卷积神经网络", "CNN"], ["ReLU \(n)"]])) }
        let package = PaperPackage(
            paperID: "BENCH", occupation: OccupationCode(rawValue: "2-02-10-09"), level: .junior, direction: Direction("人工智能平台产品实现"),
            part: .theory, items: items
        )
        // 1,000 candidates: a seed each and answers to their own presentation.
        let candidates: [(seed: UInt64, answers: [String: Answer])] = (0..<1000).map { _ in
            let seed = UInt64.random(in: 0 ... .max, using: &generator)
            let paper = DeliveredPaper(package: package, seed: seed)
            var answers: [String: Answer] = [:]
            for (position, entry) in paper.presentation.entries.enumerated() where Int.random(in: 0..<4, using: &generator) > 0 {
                let key = "Q\(position + 1)"
                switch package.items[entry.item].type {
                case .singleChoice: answers[key] = .choice(letters.randomElement(using: &generator)!)
                case .multipleChoice: answers[key] = .choices(Array(letters.shuffled(using: &generator).prefix(Int.random(in: 1...3, using: &generator))).sorted())
                case .trueFalse: answers[key] = .value(Bool.random(using: &generator))
                case .fillIn: answers[key] = .blanks([Bool.random(using: &generator) ? " cnn " : "RNN", "relu \(position)"])
                default: break
                }
            }
            return (seed, answers)
        }
        let rules = ObjectiveScoringRules(multipleChoice: .partial, partialShare: 0.5)
        var total = 0.0
        let start = ContinuousClock.now
        let prepared = ObjectiveScoring.PreparedPaper(package)
        for n in 0..<handIns {
            let candidate = candidates[n % candidates.count]
            let presentation = Presentation.make(for: package, seed: candidate.seed)
            total += ObjectiveScoring.score(prepared, presentation: presentation, answers: candidate.answers, rules: rules).objective
        }
        let seconds = (ContinuousClock.now - start).inSeconds
        return [
            "handIns": handIns, "itemsPerPaper": items.count, "seconds": seconds,
            "responsesPerSecond": Double(handIns * items.count) / seconds, "meanScore": total / Double(handIns),
        ]
    }
}
