import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly

/// One item's result: what it is worth, what was awarded, or that a marker must score it.
public struct ItemScore: Sendable, Codable, Equatable {
    /// The key the candidate saw (`Q7`) and the bank item behind it.
    public var key: String
    public var item: String
    public var version: Int
    public var type: ItemType
    public var points: Double
    /// Nil for an item an examiner marks (short answer, practical task).
    public var awarded: Double?

    public init(key: String, item: String, version: Int, type: ItemType, points: Double, awarded: Double?) {
        self.key = key
        self.item = item
        self.version = version
        self.type = type
        self.points = points
        self.awarded = awarded
    }
}

/// A hand-in scored: every item, the objective total, and what is left to examiners.
public struct AttemptScore: Sendable, Codable, Equatable {
    public var items: [ItemScore]
    /// Sum of the awarded points of the objective items.
    public var objective: Double
    /// What the objective items are worth together.
    public var objectiveMaximum: Double
    /// Items waiting for an examiner.
    public var pending: Int
    public var maximum: Double

    /// The part's score when nothing is left to mark (nil otherwise).
    public var complete: Double? { pending == 0 ? objective : nil }
}

/// Scores hand-ins against the canonical keys (issue 7 §1). Letters the candidate chose are mapped
/// back through their own presentation, so a shuffled paper scores exactly like the canonical one.
public enum ObjectiveScoring {
    /// The points one response earns. `letters` are canonical (already mapped back); nil answer earns 0.
    /// - Returns: nil for items an examiner marks.
    public static func score(
        type: ItemType, key: AnswerKey?, points: Double, answer: Answer?, canonical letters: [String], rules: ObjectiveScoringRules
    ) -> Double? {
        switch type {
        case .shortAnswer, .practicalTask:
            return nil
        case .singleChoice:
            guard case .option(let correct)? = key, case .choice = answer else { return 0 }
            return letters == [correct] ? points : 0
        case .trueFalse:
            guard case .truth(let correct)? = key, case .value(let given)? = answer else { return 0 }
            return given == correct ? points : 0
        case .multipleChoice:
            guard case .options(let correct)? = key, case .choices = answer, !letters.isEmpty else { return 0 }
            let chosen = Set(letters)
            let right = Set(correct)
            if chosen == right { return points }
            guard rules.multipleChoice == .partial, chosen.isSubset(of: right) else { return 0 }
            return (points * rules.partialShare * 100).rounded() / 100
        case .fillIn:
            guard case .blanks(let accepted)? = key, case .blanks(let given)? = answer, !accepted.isEmpty else { return 0 }
            let each = points / Double(accepted.count)
            var earned = 0.0
            for (index, variants) in accepted.enumerated() where index < given.count {
                if AnswerNormaliser.matches(given[index], anyOf: variants) { earned += each }
            }
            return (earned * 100).rounded() / 100
        }
    }

    /// A fill-in's points against blanks whose variants are already normalised.
    static func fillIn(_ accepted: [Set<String>], points: Double, answer: Answer?) -> Double {
        guard case .blanks(let given)? = answer, !accepted.isEmpty else { return 0 }
        let each = points / Double(accepted.count)
        var earned = 0.0
        for (index, variants) in accepted.enumerated() where index < given.count {
            let normalised = AnswerNormaliser.normalise(given[index])
            if !normalised.isEmpty, variants.contains(normalised) { earned += each }
        }
        return (earned * 100).rounded() / 100
    }

    /// A paper's keys made ready for scoring many hand-ins: corrected keys applied, the fill-in
    /// variants normalised once.
    public struct PreparedPaper: Sendable {
        public let package: PaperPackage
        /// Per item (canonical order): each blank's normalised accepted variants.
        let blanks: [[Set<String>]]

        /// - Parameter corrections: corrected keys by "item id@version" (they replace the sealed paper's).
        public init(_ package: PaperPackage, corrections: [String: AnswerKey] = [:]) {
            var package = package
            for index in package.items.indices {
                if let corrected = corrections["\(package.items[index].id.rawValue)@\(package.items[index].version)"] {
                    package.items[index].content.answer = corrected
                }
            }
            self.package = package
            blanks = package.items.map { item in
                guard case .blanks(let accepted)? = item.content.answer else { return [] }
                return accepted.map { Set($0.map(AnswerNormaliser.normalise).filter { !$0.isEmpty }) }
            }
        }
    }

    /// Scores a candidate's answers on their paper: every item, answered or not.
    public static func score(_ paper: DeliveredPaper, answers: [String: Answer], rules: ObjectiveScoringRules) -> AttemptScore {
        score(PreparedPaper(paper.package), presentation: paper.presentation, answers: answers, rules: rules)
    }

    /// The same with the paper's keys prepared once for all its hand-ins.
    public static func score(_ prepared: PreparedPaper, presentation: Presentation, answers: [String: Answer], rules: ObjectiveScoringRules) -> AttemptScore {
        let package = prepared.package
        var items: [ItemScore] = []
        items.reserveCapacity(presentation.entries.count)
        var objective = 0.0
        var objectiveMaximum = 0.0
        var pending = 0
        var maximum = 0.0
        for (position, entry) in presentation.entries.enumerated() {
            let item = package.items[entry.item]
            let key = "Q\(position + 1)"
            let answer = answers[key]
            var letters: [String] = []
            switch answer {
            case .choice(let letter)?: letters = entry.options[letter].map { [$0] } ?? []
            case .choices(let chosen)?: letters = chosen.compactMap { entry.options[$0] }
            default: break
            }
            let awarded: Double?
            if item.type == .fillIn {
                awarded = fillIn(prepared.blanks[entry.item], points: item.points, answer: answer)
            } else {
                awarded = score(type: item.type, key: item.content.answer, points: item.points, answer: answer, canonical: letters, rules: rules)
            }
            maximum += item.points
            if let awarded {
                objective += awarded
                objectiveMaximum += item.points
            } else {
                pending += 1
            }
            items.append(ItemScore(key: key, item: item.id.rawValue, version: item.version, type: item.type, points: item.points, awarded: awarded))
        }
        return AttemptScore(
            items: items, objective: (objective * 100).rounded() / 100, objectiveMaximum: objectiveMaximum, pending: pending, maximum: maximum
        )
    }
}
