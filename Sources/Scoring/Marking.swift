import ExamCore
import Foundation
import ItemBank

/// An item examiners mark, with the scoring table (评分记录表) they mark it against.
public struct MarkedItem: Sendable, Codable, Equatable {
    public var key: String
    public var item: String
    public var version: Int
    public var type: ItemType
    public var points: Double
    public var scoring: [ScoringPoint]

    /// An item without a scoring table is marked as one point worth the item's points.
    public init(key: String, item: String, version: Int, type: ItemType, points: Double, scoring: [ScoringPoint], reference: String?) {
        self.key = key
        self.item = item
        self.version = version
        self.type = type
        self.points = points
        self.scoring = scoring.isEmpty ? [ScoringPoint(point: "整体评分", marks: points, criteria: reference ?? "按参考答案评分")] : scoring
    }

    /// What the scoring table is worth.
    public var worth: Double { scoring.reduce(0) { $0 + $1.marks } }
}

/// One examiner's marks on a submission: a mark per scoring point of each item (nil: not yet
/// marked), a comment per item and one for the submission.
public struct MarkSheet: Sendable, Codable, Equatable {
    public var marks: [String: [Double?]]
    public var comments: [String: String]
    public var comment: String

    public init(marks: [String: [Double?]] = [:], comments: [String: String] = [:], comment: String = "") {
        self.marks = marks
        self.comments = comments
        self.comment = comment
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        marks = try container.decodeIfPresent([String: [Double?]].self, forKey: .marks) ?? [:]
        comments = try container.decodeIfPresent([String: String].self, forKey: .comments) ?? [:]
        comment = try container.decodeIfPresent(String.self, forKey: .comment) ?? ""
    }

    /// The sum of the marks entered so far.
    public var total: Double { Marking.round(marks.values.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 ?? 0) } }) }

    /// The total of one item's marks.
    public func total(of key: String) -> Double { Marking.round((marks[key] ?? []).reduce(0) { $0 + ($1 ?? 0) }) }

    /// What the sheet gives the candidate in the paper's points: each item's marks out of its
    /// scoring table, scaled to the item's points on the paper (the same when they agree).
    public func score(_ items: [MarkedItem]) -> Double {
        Marking.down(items.reduce(0) { sum, item in
            sum + (item.worth > 0 ? total(of: item.key) * item.points / item.worth : 0)
        })
    }

    /// Checks the sheet against the items it marks: known items only, one mark per scoring point,
    /// each within 0…配分 in multiples of `step`; with `complete`, every point marked.
    public func validate(_ items: [MarkedItem], step: Double, complete: Bool) throws {
        let byKey = Dictionary(items.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(marks.keys).union(comments.keys).sorted() where byKey[key] == nil {
            throw ExamError(.invalidInput, code: "invalid_marks", message: "\(key) 不是本卷需评阅的试题 (\(key) is not an item of this submission to mark)")
        }
        for (key, marks) in marks.sorted(by: { $0.key < $1.key }) {
            let item = byKey[key]!
            guard marks.count == item.scoring.count else {
                throw ExamError(
                    .invalidInput, code: "invalid_marks",
                    message: "\(key) 有\(item.scoring.count)个评分要点，提交了\(marks.count)个分数 (\(key) has \(item.scoring.count) scoring points, \(marks.count) marks were given)"
                )
            }
            for (index, mark) in marks.enumerated() {
                guard let mark else { continue }
                let point = item.scoring[index]
                let label = "\(key) 第\(index + 1)项「\(point.point)」"
                guard mark.isFinite, mark >= 0 else {
                    throw ExamError(.invalidInput, code: "invalid_marks", message: "\(label)的分数不能为负 (a mark cannot be negative: \(mark))")
                }
                guard mark <= point.marks + 1e-9 else {
                    throw ExamError(
                        .invalidInput, code: "invalid_marks",
                        message: "\(label)的分数\(Marking.text(mark))超过配分\(Marking.text(point.marks)) (the mark \(Marking.text(mark)) is above the point's \(Marking.text(point.marks)))"
                    )
                }
                guard Marking.onStep(mark, step: step) else {
                    throw ExamError(
                        .invalidInput, code: "invalid_marks",
                        message: "\(label)的分数\(Marking.text(mark))须为\(Marking.text(step))的整数倍 (marks are in steps of \(Marking.text(step)))"
                    )
                }
            }
        }
        for (key, comment) in comments where comment.count > 2000 {
            throw ExamError(.invalidInput, code: "invalid_marks", message: "\(key) 的评语超过2000字 (a comment is limited to 2000 characters)")
        }
        guard comment.count <= 2000 else {
            throw ExamError(.invalidInput, code: "invalid_marks", message: "评语超过2000字 (a comment is limited to 2000 characters)")
        }
        if complete {
            for item in items {
                let given = marks[item.key] ?? []
                let missing = item.scoring.indices.filter { $0 >= given.count || given[$0] == nil }
                if !missing.isEmpty {
                    throw ExamError(
                        .invalidInput, code: "incomplete",
                        message: "\(item.key) 还有\(missing.count)个评分要点未评分，不能签名 (\(missing.count) scoring point(s) of \(item.key) are not marked)"
                    )
                }
            }
        }
    }
}

/// The marking rule of docs/MARKING.md: when a third mark is needed and what the marked score is.
public enum Marking {
    public struct Decision: Sendable, Equatable {
        /// Whether the chief examiner's third mark is needed.
        public var adjudicate: Bool
        /// Why, in words for the progress view (empty without adjudication).
        public var reasons: [String]
        /// The marked score when no third mark is needed (the mean of the two).
        public var marked: Double?
    }

    /// Decides on two signed totals in the paper's points (``MarkSheet/score(_:)``). `worth`: what
    /// the marked items are worth on the paper; `objective`: the hand-in's objective score;
    /// `maximum`: the paper's maximum (the part is scaled to `fullMarks`).
    public static func decide(
        first: Double, second: Double, worth: Double, objective: Double, maximum: Double, fullMarks: Double, passMark: Double, rules: MarkingRules
    ) -> Decision {
        var reasons: [String] = []
        let difference = abs(first - second)
        let allowed = rules.adjudicationShare * worth
        if difference > allowed + 1e-9 {
            reasons.append("两评相差\(text(difference))分，超过\(text(allowed))分 (the two marks differ by \(text(difference)), more than \(text(allowed)))")
        }
        let mean = down((first + second) / 2)
        let provisional = partScore(objective + mean, maximum: maximum, fullMarks: fullMarks)
        if abs(provisional - passMark) <= rules.passBand + 1e-9 {
            reasons.append(
                "暂定成绩\(text(provisional))分在合格线\(text(passMark))±\(text(rules.passBand))分内 (the provisional score \(text(provisional)) is within \(text(rules.passBand)) of the pass mark)"
            )
        }
        return Decision(adjudicate: !reasons.isEmpty, reasons: reasons, marked: reasons.isEmpty ? mean : nil)
    }

    /// A part's score out of `fullMarks` from what was earned out of the paper's `maximum`
    /// (unchanged when the paper is worth the full marks), to 0.01 rounded down: a part never
    /// reaches the pass mark by rounding.
    public static func partScore(_ earned: Double, maximum: Double, fullMarks: Double) -> Double {
        guard maximum > 0, abs(maximum - fullMarks) > 1e-9 else { return down(earned) }
        return down(earned * fullMarks / maximum)
    }

    /// To 0.01 (marks in steps of 0.5 stay exact).
    public static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// Down to 0.01, ignoring the last bits of floating-point error (5.999999999 is 6).
    public static func down(_ value: Double) -> Double { (value * 100 + 1e-6).rounded(.down) / 100 }

    static func onStep(_ mark: Double, step: Double) -> Bool {
        let units = mark / step
        return abs(units - units.rounded()) < 1e-6
    }

    /// A number as people write it: 8, 6.5, 0.25.
    public static func text(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
