import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring
import Testing

/// Hand-scored reference cases for every objective type and both multiple-choice rules, through
/// real per-candidate shuffles.
@Suite struct ObjectiveScoringTests {
    static let package = PaperPackage(
        paperID: "P-REF", occupation: OccupationCode(rawValue: "2-02-10-09"), level: .junior, direction: Direction("人工智能平台产品实现"), part: .theory,
        items: [
            PackagedItem(id: ItemID(rawValue: "S1"), version: 1, type: .singleChoice, points: 2,
                         content: ItemContent(stem: "单选", options: ["A": "甲", "B": "乙", "C": "丙", "D": "丁"], answer: .option("B"))),
            PackagedItem(id: ItemID(rawValue: "M1"), version: 3, type: .multipleChoice, points: 4,
                         content: ItemContent(stem: "多选", options: ["A": "甲", "B": "乙", "C": "丙", "D": "丁"], answer: .options(["A", "C", "D"]))),
            PackagedItem(id: ItemID(rawValue: "T1"), version: 1, type: .trueFalse, points: 1, content: ItemContent(stem: "判断", answer: .truth(false))),
            PackagedItem(id: ItemID(rawValue: "F1"), version: 2, type: .fillIn, points: 3,
                         content: ItemContent(stem: "填空 ____(1) 与 ____(2)", answer: .blanks([["卷积神经网络", "CNN"], ["ReLU"]]))),
            PackagedItem(id: ItemID(rawValue: "W1"), version: 1, type: .shortAnswer, points: 10, content: ItemContent(stem: "简答")),
        ]
    )

    /// The letter a candidate sees for a canonical option.
    static func shown(_ canonical: String, _ paper: DeliveredPaper, item: Int) -> String {
        let entry = paper.presentation.entries.first { $0.item == item }!
        return entry.options.first { $0.value == canonical }!.key
    }

    static func key(of item: Int, _ paper: DeliveredPaper) -> String {
        "Q\(paper.presentation.entries.firstIndex { $0.item == item }! + 1)"
    }

    @Test(arguments: [UInt64(1), 7, 42, 9_999])
    func theRightAnswersScoreFullMarksWhateverTheShuffle(seed: UInt64) {
        let paper = DeliveredPaper(package: Self.package, seed: seed)
        let answers: [String: Answer] = [
            Self.key(of: 0, paper): .choice(Self.shown("B", paper, item: 0)),
            Self.key(of: 1, paper): .choices(["A", "C", "D"].map { Self.shown($0, paper, item: 1) }),
            Self.key(of: 2, paper): .value(false),
            Self.key(of: 3, paper): .blanks([" cnn ", "relu"]),
            Self.key(of: 4, paper): .text("答案"),
        ]
        let score = ObjectiveScoring.score(paper, answers: answers, rules: .init())
        #expect(score.objective == 10 && score.objectiveMaximum == 10 && score.maximum == 20)
        #expect(score.pending == 1 && score.complete == nil)
        #expect(score.items.first { $0.item == "W1" }?.awarded == nil)
    }

    @Test func theCandidatesLetterIsNotTheCanonicalOne() {
        // Find a seed where canonical B is shown under another letter, and answer "B" as shown: wrong.
        let seed = (UInt64(1)...500).first { Self.shown("B", DeliveredPaper(package: Self.package, seed: $0), item: 0) != "B" }!
        let paper = DeliveredPaper(package: Self.package, seed: seed)
        let score = ObjectiveScoring.score(paper, answers: [Self.key(of: 0, paper): .choice("B")], rules: .init())
        #expect(score.items.first { $0.item == "S1" }?.awarded == 0)
    }

    struct MultipleCase: Sendable, CustomTestStringConvertible {
        var chosen: [String]
        var allOrNothing: Double
        var partial: Double
        var testDescription: String { chosen.joined() }
    }

    /// Key ACD, 4 points, partial share 0.5.
    @Test(arguments: [
        MultipleCase(chosen: ["A", "C", "D"], allOrNothing: 4, partial: 4),
        MultipleCase(chosen: ["A", "C"], allOrNothing: 0, partial: 2),
        MultipleCase(chosen: ["D"], allOrNothing: 0, partial: 2),
        MultipleCase(chosen: ["A", "B"], allOrNothing: 0, partial: 0),
        MultipleCase(chosen: ["A", "B", "C", "D"], allOrNothing: 0, partial: 0),
        MultipleCase(chosen: [], allOrNothing: 0, partial: 0),
    ])
    func multipleChoiceUnderBothRules(_ test: MultipleCase) {
        let paper = DeliveredPaper(package: Self.package, seed: 3)
        let answers = [Self.key(of: 1, paper): Answer.choices(test.chosen.map { Self.shown($0, paper, item: 1) })]
        let strict = ObjectiveScoring.score(paper, answers: answers, rules: .init(multipleChoice: .allOrNothing))
        let lenient = ObjectiveScoring.score(paper, answers: answers, rules: .init(multipleChoice: .partial, partialShare: 0.5))
        #expect(strict.objective == test.allOrNothing)
        #expect(lenient.objective == test.partial)
    }

    @Test func fillInScoresEachBlankOnItsOwnAfterNormalisation() {
        let paper = DeliveredPaper(package: Self.package, seed: 5)
        let key = Self.key(of: 3, paper)
        func points(_ blanks: [String]) -> Double? {
            ObjectiveScoring.score(paper, answers: [key: .blanks(blanks)], rules: .init()).items.first { $0.item == "F1" }?.awarded
        }
        #expect(points(["卷积神经网络", "ReLU"]) == 3)
        #expect(points(["ＣＮＮ", "sigmoid"]) == 1.5)  // full-width letters normalise
        #expect(points(["", "relu"]) == 1.5)
        #expect(points(["RNN", "tanh"]) == 0)
    }

    @Test func unansweredAndMisshapenAnswersEarnNothing() {
        let paper = DeliveredPaper(package: Self.package, seed: 11)
        let none = ObjectiveScoring.score(paper, answers: [:], rules: .init())
        #expect(none.objective == 0 && none.items.count == 5)
        let wrongShape = ObjectiveScoring.score(paper, answers: [Self.key(of: 2, paper): .text("false")], rules: .init())
        #expect(wrongShape.objective == 0)
        let trueIsWrong = ObjectiveScoring.score(paper, answers: [Self.key(of: 2, paper): .value(true)], rules: .init())
        #expect(trueIsWrong.objective == 0)
    }
}
