import ExamCore
import Foundation
import ItemBank

/// One item placed on a form: the pinned version and the points it carries on this paper.
public struct FormItem: Sendable, Codable, Equatable {
    public var id: ItemID
    public var version: Int
    public var type: ItemType
    public var point: String
    public var points: Double
    public var difficulty: Double
}

/// One assembled form: its items by section, in canonical (bank) order.
public struct AssembledForm: Sendable, Codable, Equatable {
    public var number: Int
    public var items: [FormItem]
    public var totalPoints: Double
    public var difficultyMean: Double
}

/// One constraint of one form: what the blueprint asked for and what the form has.
public struct ConstraintRow: Sendable, Codable, Equatable {
    /// `weight` (职业功能 / 基本要求 points), `coverage` (鉴定点 items), `band` (difficulty band items),
    /// `total` (points), `enemy`, `difficulty`.
    public var kind: String
    public var key: String
    public var name: String
    public var target: Double
    public var lower: Double
    public var upper: Double?
    public var achieved: Double
    public var met: Bool
}

public struct FormReport: Sendable, Codable, Equatable {
    public var form: Int
    public var items: Int
    public var points: Double
    public var difficultyMean: Double
    public var rows: [ConstraintRow]
}

/// What is true across the forms of one assembly.
public struct AcrossForms: Sendable, Codable, Equatable {
    public var difficultyMeans: [Double]
    public var difficultySpread: Double
    /// Most items any two forms have in common, and the blueprint's limit.
    public var mostShared: Int
    public var sharedAllowed: Int
    public var itemsUsed: Int
    public var exposureBefore: Int
    public var exposureAfter: Int
    public var exposureCap: Int
}

/// The conformance report (符合性报告): every constraint per form and across forms.
public struct ConformanceReport: Sendable, Codable, Equatable {
    public var occupation: String
    public var level: String
    public var direction: String
    public var part: String
    public var formsRequested: Int
    public var seed: UInt64
    public var feasible: Bool
    /// Counting arguments proving the bank cannot support the request (nothing was searched).
    public var proven: [String]
    /// Constraints the best forms found still break (the search found no feasible set).
    public var unmet: [String]
    /// Σ over forms of |Σ difficulty − target × items|: 0 is every form exactly on target.
    public var objective: Double
    public var difficultyTarget: Double
    public var forms: [FormReport]
    public var across: AcrossForms?
}

/// What an assembly produced: forms (when feasible), the report, and how the search went.
public struct AssemblyResult: Sendable {
    public let request: AssemblyRequest
    let problem: AssemblyProblem
    let state: AssemblyState?
    public let proven: [String]
    public let elapsed: Duration
    public var firstFeasible: Duration?
    public var movesMade = 0
    public var stoppedByTime = false

    init(request: AssemblyRequest, problem: AssemblyProblem, state: AssemblyState?, proven: [String], elapsed: Duration) {
        self.request = request
        self.problem = problem
        self.state = state
        self.proven = proven
        self.elapsed = elapsed
    }

    public var feasible: Bool { proven.isEmpty && (state?.violation ?? 1) < 1e-6 && unmet.isEmpty }

    /// The forms, items in canonical order (section order, then item ID).
    public var forms: [AssembledForm] {
        guard let state else { return [] }
        return (0..<problem.forms).map { form in
            let items = state.slots[form].flatMap { $0.sorted { problem.items[$0].id.rawValue < problem.items[$1].id.rawValue } }.map { index in
                let item = problem.items[index]
                return FormItem(
                    id: item.id, version: item.version, type: item.metadata.type, point: item.metadata.point,
                    points: problem.points[index], difficulty: item.metadata.difficulty
                )
            }
            let count = Double(max(items.count, 1))
            return AssembledForm(
                number: form + 1, items: items, totalPoints: items.reduce(0) { $0 + $1.points },
                difficultyMean: items.reduce(0) { $0 + $1.difficulty } / count
            )
        }
    }

    /// Every broken constraint of the best forms, in words.
    public var unmet: [String] {
        guard proven.isEmpty else { return [] }
        return formReports.flatMap { report in
            report.rows.filter { !$0.met }.map { row in
                let range = row.upper.map { "\(Blueprint.format(row.lower))–\(Blueprint.format($0))" } ?? "≥ \(Blueprint.format(row.lower))"
                return "form \(report.form): \(row.kind) \(row.key) (\(row.name)) has \(Blueprint.format(row.achieved)), needs \(range)"
            }
        } + sharedViolations
    }

    private var sharedViolations: [String] {
        guard let state else { return [] }
        var lines: [String] = []
        for first in 0..<problem.forms {
            for second in (first + 1)..<max(first + 1, problem.forms) where state.shared[first][second] > problem.maxShared {
                lines.append("forms \(first + 1) and \(second + 1) share \(state.shared[first][second]) items; at most \(problem.maxShared) allowed")
            }
        }
        return lines
    }

    var formReports: [FormReport] {
        guard let state else { return [] }
        let target = problem.difficultyTarget
        return forms.map { form in
            let index = form.number - 1
            var rows = problem.bounds.enumerated().map { boundIndex, bound in
                let value = state.boundValue[index][boundIndex]
                return ConstraintRow(
                    kind: bound.kind.rawValue, key: bound.key, name: bound.name, target: bound.target, lower: bound.lower,
                    upper: bound.upper >= Double(Int.max / 4) ? nil : bound.upper, achieved: value, met: bound.violation(value) < 1e-9
                )
            }
            for (group, name) in problem.enemyGroups.enumerated() where state.enemyCount[index][group] > 1 {
                rows.append(ConstraintRow(
                    kind: "enemy", key: name, name: "enemy group", target: 1, lower: 0, upper: 1,
                    achieved: Double(state.enemyCount[index][group]), met: false
                ))
            }
            let deviation = abs(form.difficultyMean - target)
            rows.append(ConstraintRow(
                kind: "difficulty", key: "mean", name: "mean proportion correct", target: target,
                lower: problem.maxDeviation.map { target - $0 } ?? 0, upper: problem.maxDeviation.map { target + $0 } ?? 1,
                achieved: form.difficultyMean, met: problem.maxDeviation.map { deviation <= $0 + 1e-9 } ?? true
            ))
            return FormReport(form: form.number, items: form.items.count, points: form.totalPoints, difficultyMean: form.difficultyMean, rows: rows)
        }
    }

    public var report: ConformanceReport {
        let blueprint = request.blueprint
        var across: AcrossForms?
        if let state {
            let means = forms.map(\.difficultyMean)
            var most = 0
            for first in 0..<problem.forms {
                for second in 0..<problem.forms where second != first { most = max(most, state.shared[first][second]) }
            }
            let used = problem.items.indices.filter { state.uses[$0] > 0 }
            across = AcrossForms(
                difficultyMeans: means, difficultySpread: (means.max() ?? 0) - (means.min() ?? 0), mostShared: most,
                sharedAllowed: blueprint.maxShared, itemsUsed: used.count,
                exposureBefore: used.map { problem.items[$0].exposure }.max() ?? 0,
                exposureAfter: used.map { problem.items[$0].exposure + state.uses[$0] }.max() ?? 0, exposureCap: blueprint.exposureCap
            )
        }
        return ConformanceReport(
            occupation: request.standard.code.rawValue, level: blueprint.level.rawValue, direction: request.direction.name,
            part: blueprint.part.rawValue, formsRequested: request.forms, seed: request.seed, feasible: feasible, proven: proven,
            unmet: unmet, objective: objective, difficultyTarget: problem.difficultyTarget, forms: formReports, across: across
        )
    }

    /// Σ over forms of |Σ difficulty − target × items| (what CP-SAT minimises on the same instance).
    public var objective: Double {
        forms.reduce(0) { sum, form in
            sum + abs(form.items.reduce(0) { $0 + $1.difficulty } - problem.difficultyTarget * Double(form.items.count))
        }
    }
}
