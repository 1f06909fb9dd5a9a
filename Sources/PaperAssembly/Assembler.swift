import ExamCore
import Foundation
import ItemBank

/// A deterministic pseudo-random generator (SplitMix64): the same seed gives the same sequence on
/// every machine, so the same request gives byte-identical forms.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// The forms' contents and every running total the cost depends on, changed one item at a time.
struct AssemblyState {
    let problem: AssemblyProblem
    /// slots[form][section] = item indices.
    var slots: [[[Int]]]
    var inForm: [[Bool]]
    var uses: [Int]
    var boundValue: [[Double]]
    var enemyCount: [[Int]]
    var difficultySum: [Double]
    var itemCount: [Int]
    var shared: [[Int]]
    /// Weighted violations of hard constraints (0 = feasible) and the soft objective.
    var violation: Double = 0
    var objective: Double = 0

    static let enemyWeight = 5.0
    static let sharedWeight = 5.0
    static let deviationWeight = 100.0

    init(problem: AssemblyProblem) {
        self.problem = problem
        let forms = problem.forms
        slots = Array(repeating: problem.sectionCounts.map { _ in [] }, count: forms)
        inForm = Array(repeating: Array(repeating: false, count: problem.items.count), count: forms)
        uses = Array(repeating: 0, count: problem.items.count)
        boundValue = Array(repeating: Array(repeating: 0, count: problem.bounds.count), count: forms)
        enemyCount = Array(repeating: Array(repeating: 0, count: problem.enemyGroups.count), count: forms)
        difficultySum = Array(repeating: 0, count: forms)
        itemCount = Array(repeating: 0, count: forms)
        shared = Array(repeating: Array(repeating: 0, count: forms), count: forms)
        // Empty forms violate every lower bound.
        for bound in problem.bounds { violation += bound.violation(0) * Double(forms) }
    }

    var cost: Double { violation * 1000 + objective }

    func canAdd(_ item: Int, to form: Int) -> Bool { !inForm[form][item] && uses[item] < problem.capacity[item] }

    private func deviationTerm(_ form: Int) -> (objective: Double, violation: Double) {
        let count = Double(itemCount[form])
        guard count > 0 else { return (0, 0) }
        let gap = abs(difficultySum[form] - problem.difficultyTarget * count)
        var over = 0.0
        if let limit = problem.maxDeviation { over = max(0, gap / count - limit) * Self.deviationWeight }
        return (gap, over)
    }

    private mutating func change(_ bound: Int, in form: Int, by amount: Double) {
        guard bound >= 0 else { return }
        let spec = problem.bounds[bound]
        let before = spec.violation(boundValue[form][bound])
        boundValue[form][bound] += amount
        violation += spec.violation(boundValue[form][bound]) - before
    }

    /// Adds (sign +1) or removes (sign −1) an item's contributions to a form.
    private mutating func account(_ item: Int, _ form: Int, sign: Double) {
        let (oldObjective, oldOver) = deviationTerm(form)
        change(problem.weightBound[item], in: form, by: sign * problem.points[item])
        change(problem.coverageBound[item], in: form, by: sign)
        change(problem.bandBound[item], in: form, by: sign)
        if let total = problem.totalBound { change(total, in: form, by: sign * problem.points[item]) }
        if let time = problem.timeBound { change(time, in: form, by: sign * problem.minutes[item]) }
        let group = problem.enemy[item]
        if group >= 0 {
            let before = max(0, enemyCount[form][group] - 1)
            enemyCount[form][group] += Int(sign)
            violation += Double(max(0, enemyCount[form][group] - 1) - before) * Self.enemyWeight
        }
        difficultySum[form] += sign * problem.difficulty[item]
        itemCount[form] += Int(sign)
        let (newObjective, newOver) = deviationTerm(form)
        objective += newObjective - oldObjective
        violation += newOver - oldOver
        // Items in common with the other forms that carry it.
        if uses[item] > 0 || sign < 0 {
            for other in 0..<problem.forms where other != form && inForm[other][item] {
                let before = max(0, shared[form][other] - problem.maxShared)
                shared[form][other] += Int(sign)
                shared[other][form] = shared[form][other]
                violation += Double(max(0, shared[form][other] - problem.maxShared) - before) * Self.sharedWeight
            }
        }
    }

    mutating func add(_ item: Int, to form: Int, section: Int) {
        account(item, form, sign: 1)
        inForm[form][item] = true
        uses[item] += 1
        slots[form][section].append(item)
    }

    mutating func removeLast(from form: Int, section: Int) {
        let item = slots[form][section].removeLast()
        inForm[form][item] = false
        uses[item] -= 1
        account(item, form, sign: -1)
    }

    /// Recomputes the violation and the objective from the forms, dropping rounding drift.
    mutating func recompute() {
        var fresh = AssemblyState(problem: problem)
        for form in 0..<problem.forms {
            for section in slots[form].indices {
                for item in slots[form][section] { fresh.add(item, to: form, section: section) }
            }
        }
        self = fresh
    }

    mutating func replace(in form: Int, section: Int, slot: Int, with item: Int) {
        let old = slots[form][section][slot]
        inForm[form][old] = false
        uses[old] -= 1
        account(old, form, sign: -1)
        account(item, form, sign: 1)
        inForm[form][item] = true
        uses[item] += 1
        slots[form][section][slot] = item
    }
}

/// Assembles parallel forms: a greedy construction, then local search (swap moves, seeded) that
/// first removes every violation of a hard constraint and then pulls each form's difficulty to
/// the target. Pure and deterministic for a seed and a move budget.
public enum Assembler {
    public static func assemble(_ request: AssemblyRequest, items: [AssemblyItem]) throws -> AssemblyResult {
        let started = ContinuousClock.now
        let problem = try AssemblyProblem.make(request, items: items)
        let shortfalls = problem.provenShortfalls(request)
        guard shortfalls.isEmpty else {
            return AssemblyResult(request: request, problem: problem, state: nil, proven: shortfalls, elapsed: ContinuousClock.now - started)
        }
        var random = SeededGenerator(seed: request.seed)
        var state = AssemblyState(problem: problem)
        construct(&state, &random)
        var firstFeasible: Duration? = state.violation < 1e-6 ? ContinuousClock.now - started : nil
        let deadline = started + request.timeLimit
        var stoppedByTime = false
        var move = 0
        while move < request.moves {
            if move % 1024 == 0 && ContinuousClock.now > deadline {
                stoppedByTime = true
                break
            }
            improve(&state, &random)
            move += 1
            if move % 8192 == 0 { state.recompute() }
            if firstFeasible == nil && state.violation < 1e-6 { firstFeasible = ContinuousClock.now - started }
        }
        state.recompute()
        var result = AssemblyResult(request: request, problem: problem, state: state, proven: [], elapsed: ContinuousClock.now - started)
        result.firstFeasible = firstFeasible
        result.movesMade = move
        result.stoppedByTime = stoppedByTime
        return result
    }

    /// Fills every slot of every form in turn with the best of a sample of candidates.
    static func construct(_ state: inout AssemblyState, _ random: inout SeededGenerator) {
        let problem = state.problem
        for form in 0..<problem.forms {
            for (section, count) in problem.sectionCounts.enumerated() {
                for _ in 0..<count {
                    var best = -1
                    var bestCost = Double.infinity
                    for candidate in candidates(state, form: form, section: section, &random, sample: 48) where state.canAdd(candidate, to: form) {
                        state.add(candidate, to: form, section: section)
                        let cost = state.cost
                        state.removeLast(from: form, section: section)
                        if cost < bestCost {
                            bestCost = cost
                            best = candidate
                        }
                    }
                    if best < 0 {
                        // Nothing sampled fits: take the first item with capacity left.
                        best = problem.pools[section].first { state.canAdd($0, to: form) } ?? -1
                    }
                    if best >= 0 { state.add(best, to: form, section: section) }
                }
            }
        }
    }

    /// One move: a random slot of a random form is given the best of sampled replacements if that
    /// lowers the cost (equal cost is accepted now and then, to cross plateaus).
    static func improve(_ state: inout AssemblyState, _ random: inout SeededGenerator) {
        let problem = state.problem
        let form = random.below(problem.forms)
        let section = random.below(problem.sectionCounts.count)
        guard !state.slots[form][section].isEmpty else { return }
        let slot = random.below(state.slots[form][section].count)
        let current = state.slots[form][section][slot]
        let before = state.cost
        var best = -1
        var bestCost = before
        for candidate in candidates(state, form: form, section: section, &random, sample: 12) where state.canAdd(candidate, to: form) {
            state.replace(in: form, section: section, slot: slot, with: candidate)
            let cost = state.cost
            state.replace(in: form, section: section, slot: slot, with: current)
            if cost < bestCost - 1e-9 || (best < 0 && abs(cost - before) < 1e-9 && random.below(4) == 0) {
                bestCost = cost
                best = candidate
            }
        }
        if best >= 0 { state.replace(in: form, section: section, slot: slot, with: best) }
    }

    /// Items that could go into a slot of `section` on `form`: half sampled from the section, half
    /// from the 职业功能 furthest below its lower bound on that form (if any is).
    static func candidates(_ state: AssemblyState, form: Int, section: Int, _ random: inout SeededGenerator, sample: Int) -> [Int] {
        let problem = state.problem
        let pool = problem.pools[section]
        guard !pool.isEmpty else { return [] }
        var result: [Int] = []
        var deficit = -1
        var worst = 0.0
        for (index, bound) in problem.bounds.enumerated() where bound.kind == .weight {
            let short = bound.lower - state.boundValue[form][index]
            if short > worst && !problem.poolsByWeight[section][index].isEmpty {
                worst = short
                deficit = index
            }
        }
        let targeted = deficit >= 0 ? problem.poolsByWeight[section][deficit] : []
        for draw in 0..<sample {
            let source = (draw % 2 == 1 && !targeted.isEmpty) ? targeted : pool
            let item = source[random.below(source.count)]
            if state.canAdd(item, to: form) { result.append(item) }
        }
        return result
    }
}
