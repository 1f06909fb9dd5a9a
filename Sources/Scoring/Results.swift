import ExamCore
import Foundation

/// A misconduct decision as it bears on a result, with its evidence.
public struct AppliedMisconduct: Sendable, Codable, Equatable {
    public var id: Int64
    public var tier: MisconductTier
    public var points: Int?
    public var banYears: Int?
    public var reason: String
    public var evidence: [String: [Int64]]
    public var decidedBy: String
    public var decidedAt: Date

    public init(
        id: Int64, tier: MisconductTier, points: Int?, banYears: Int?, reason: String, evidence: [String: [Int64]], decidedBy: String, decidedAt: Date
    ) {
        self.id = id
        self.tier = tier
        self.points = points
        self.banYears = banYears
        self.reason = reason
        self.evidence = evidence
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// One part of a candidate's result.
public struct PartResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Scored (objective and, where needed, examiners' marks final).
        case scored
        /// Never handed in (缺考).
        case absent
        /// Voided by a misconduct decision (成绩无效).
        case void
        /// Something is still to score or mark.
        case pending
    }

    public var status: Status
    /// Out of the part's full marks, after deductions; nil unless scored.
    public var score: Double?
    public var objective: Double?
    public var marked: Double?
    public var deduction: Double
    public var misconduct: [AppliedMisconduct]

    public init(status: Status, score: Double?, objective: Double?, marked: Double?, deduction: Double, misconduct: [AppliedMisconduct]) {
        self.status = status
        self.score = score
        self.objective = objective
        self.marked = marked
        self.deduction = deduction
        self.misconduct = misconduct
    }

    /// Passes at the pass mark, inclusive, with no rounding.
    public func passes(_ passMark: Double) -> Bool { status == .scored && (score ?? 0) >= passMark }
}

/// Composes results from scores, marks and misconduct decisions (docs/MARKING.md "Results").
public enum Results {
    /// What a hand-in contributes to a part before misconduct.
    public struct Earned: Sendable {
        public var objective: Double
        /// Nil while examiners' marks are not final (or there is nothing to mark: 0).
        public var marked: Double?
        public var maximum: Double

        public init(objective: Double, marked: Double?, maximum: Double) {
            self.objective = objective
            self.marked = marked
            self.maximum = maximum
        }
    }

    /// One part: `earned` nil when never handed in; `own` the decisions of this part's sitting,
    /// `voidedElsewhere` the decisions of the other part that void the whole batch.
    public static func part(
        earned: Earned?, own: [AppliedMisconduct], voidedElsewhere: [AppliedMisconduct], fullMarks: Double
    ) -> PartResult {
        let applied = (own + voidedElsewhere).sorted { $0.id < $1.id }
        let deduction = Double(own.filter { $0.tier == .deduction }.reduce(0) { $0 + ($1.points ?? 0) })
        let voided = own.contains { $0.tier == .subjectVoid || $0.tier == .sittingVoid || $0.tier == .ban } || !voidedElsewhere.isEmpty
        if voided {
            return PartResult(status: .void, score: nil, objective: earned?.objective, marked: earned?.marked, deduction: deduction, misconduct: applied)
        }
        guard let earned else {
            return PartResult(status: .absent, score: nil, objective: nil, marked: nil, deduction: deduction, misconduct: applied)
        }
        guard let marked = earned.marked else {
            return PartResult(status: .pending, score: nil, objective: earned.objective, marked: nil, deduction: deduction, misconduct: applied)
        }
        let raw = Marking.partScore(earned.objective + marked, maximum: earned.maximum, fullMarks: fullMarks)
        return PartResult(
            status: .scored, score: max(0, Marking.down(raw - deduction)), objective: earned.objective, marked: marked, deduction: deduction,
            misconduct: applied
        )
    }

    /// Decisions of a part's sitting that void the other part too.
    public static func voidingBoth(_ decisions: [AppliedMisconduct]) -> [AppliedMisconduct] {
        decisions.filter { $0.tier == .sittingVoid || $0.tier == .ban }
    }
}

/// Working days (Monday to Friday) in China time, for the re-check window.
public enum WorkingDays {
    static let zone = TimeZone(secondsFromGMT: 8 * 3600)!

    /// The end (23:59:59.999, China time) of the `count`-th working day after `date`'s day.
    public static func end(after date: Date, count: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = calendar.startOfDay(for: date)
        var left = count
        while left > 0 {
            day = calendar.date(byAdding: .day, value: 1, to: day)!
            let weekday = calendar.component(.weekday, from: day)
            if weekday != 1 && weekday != 7 { left -= 1 }
        }
        return calendar.date(byAdding: .day, value: 1, to: day)!.addingTimeInterval(-0.001)
    }
}
