import ExamCore
import ItemBank

/// An item as assembly sees it: metadata only (assembly never reads content, so the bank may stay sealed).
public struct AssemblyItem: Sendable, Equatable {
    public var id: ItemID
    /// The approved version a paper pins.
    public var version: Int
    public var metadata: ItemMetadata
    /// Papers that already carry this item.
    public var exposure: Int

    public init(id: ItemID, version: Int, metadata: ItemMetadata, exposure: Int) {
        self.id = id
        self.version = version
        self.metadata = metadata
        self.exposure = exposure
    }
}

/// What is being assembled: a blueprint applied to a standard's weight column, for N forms.
public struct AssemblyRequest: Sendable {
    public var standard: OccupationStandard
    public var blueprint: Blueprint
    public var direction: Direction
    public var forms: Int
    public var seed: UInt64
    /// Local-search moves; the result depends only on the inputs and this budget, never on time.
    public var moves: Int
    /// A safety stop: the search ends here even if moves remain (the report says so).
    public var timeLimit: Duration

    public init(
        standard: OccupationStandard, blueprint: Blueprint, direction: Direction, forms: Int, seed: UInt64,
        moves: Int = 200_000, timeLimit: Duration = .seconds(30)
    ) {
        self.standard = standard
        self.blueprint = blueprint
        self.direction = direction
        self.forms = forms
        self.seed = seed
        self.moves = moves
        self.timeLimit = timeLimit
    }
}

/// The weight-table key of a 鉴定点: its 职业功能 (`2.2.1` → `2`) or the 基本要求 code itself (`B1`).
func weightKey(of point: String) -> String {
    point.split(separator: ".", maxSplits: 1).first.map(String.init) ?? point
}

/// One bounded quantity per form: a 职业功能's points, a 鉴定点's items, a band's items.
struct Bound: Sendable {
    var kind: Kind
    var key: String
    var name: String
    var lower: Double
    var upper: Double
    /// The weight (points) for weight rows; the middle otherwise.
    var target: Double

    enum Kind: String, Sendable { case weight, coverage, band, total, time }

    func violation(_ value: Double) -> Double {
        max(0, lower - value) + max(0, value - upper)
    }
}

/// The problem in index form: items, their pools per section, bounds and the terms they touch.
struct AssemblyProblem: Sendable {
    var items: [AssemblyItem]
    /// Per item: section index, its points on the paper, and the bounds it counts towards.
    var section: [Int]
    var points: [Double]
    var difficulty: [Double]
    var weightBound: [Int]
    var coverageBound: [Int]
    var bandBound: [Int]
    /// Minutes per item (practical tasks) and the row bounding a form's total time.
    var minutes: [Double]
    var timeBound: Int?
    var enemy: [Int]
    /// Uses left per item in this assembly (exposure cap and disjointness).
    var capacity: [Int]
    var pools: [[Int]]
    /// Per section and weight bound: the pool's items of that 职业功能.
    var poolsByWeight: [[[Int]]]
    var sectionCounts: [Int]
    var bounds: [Bound]
    var totalBound: Int?
    var enemyGroups: [String]
    var forms: Int
    var maxShared: Int
    var difficultyTarget: Double
    var maxDeviation: Double?
    var direction: Direction

    /// Builds the problem, or explains why the request cannot be met before any search.
    static func make(_ request: AssemblyRequest, items all: [AssemblyItem]) throws -> AssemblyProblem {
        let blueprint = request.blueprint
        let standard = request.standard
        let problems = blueprint.problems(in: standard)
        guard problems.isEmpty else {
            throw ExamError.invalid("invalid_blueprint", problems.joined(separator: "; "))
        }
        guard (1...100).contains(request.forms) else {
            throw ExamError.invalid("bad_forms", "ask for 1 to 100 forms")
        }
        guard let levelSpec = standard.levels.first(where: { $0.level == blueprint.level }) else {
            throw ExamError.invalid("unknown_level", "\(standard.code) has no level \(blueprint.level.rawValue)")
        }
        let directions = levelSpec.directions.isEmpty ? [Direction.undivided] : levelSpec.directions
        guard directions.contains(request.direction) else {
            throw ExamError.invalid(
                "unknown_direction",
                "\(request.direction) is no direction of \(standard.code) at \(blueprint.level.rawValue) (known: \(directions.map(\.name).joined(separator: ", ")))"
            )
        }
        // The weight column of this level and direction, in points of the part's full marks.
        let fullMarks = Double(levelSpec.parts[blueprint.part].fullMarks)
        var weights: [String: Int]
        switch blueprint.part {
        case .theory:
            guard let column = standard.weights.theory.first(where: { $0.level == blueprint.level && $0.direction == request.direction }) else {
                throw ExamError.invalid("no_weights", "\(standard.code) has no theory weight column for \(blueprint.level.rawValue) \(request.direction)")
            }
            weights = column.basic.merging(column.related) { first, _ in first }
        case .ability:
            guard let column = standard.weights.ability.first(where: { $0.level == blueprint.level && $0.direction == request.direction }) else {
                throw ExamError.invalid("no_weights", "\(standard.code) has no ability weight column for \(blueprint.level.rawValue) \(request.direction)")
            }
            weights = column.functions
        }
        weights = weights.filter { $0.value > 0 }
        let names = Dictionary(
            standard.functions.map { ($0.code, $0.name) } + standard.basicRequirements.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }
        )
        var bounds: [Bound] = []
        var weightIndex: [String: Int] = [:]
        for key in weights.keys.sorted(by: Self.codeOrder) {
            let weight = Double(weights[key]!) * fullMarks / 100
            weightIndex[key] = bounds.count
            bounds.append(Bound(
                kind: .weight, key: key, name: names[key] ?? key, lower: max(0, weight - blueprint.weightTolerance),
                upper: weight + blueprint.weightTolerance, target: weight
            ))
        }
        var coverageIndex: [String: Int] = [:]
        let pointNames = Dictionary(
            standard.functions.flatMap { $0.contents.flatMap { $0.points } }.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first }
        )
        for row in blueprint.coverage {
            coverageIndex[row.point] = bounds.count
            let upper = Double(row.max ?? Int.max / 2)
            bounds.append(Bound(
                kind: .coverage, key: row.point, name: pointNames[row.point] ?? names[row.point] ?? row.point, lower: Double(row.min),
                upper: upper, target: Double(row.min)
            ))
        }
        let itemsPerForm = Double(blueprint.itemCount)
        var bandIndices: [Int] = []
        for band in blueprint.bands {
            bandIndices.append(bounds.count)
            bounds.append(Bound(
                kind: .band, key: band.name, name: band.name, lower: (band.min * itemsPerForm).rounded(.up),
                upper: (band.max * itemsPerForm).rounded(.down), target: band.min * itemsPerForm
            ))
        }
        var totalBound: Int?
        if blueprint.sections.contains(where: { $0.points == nil }) {
            totalBound = bounds.count
            bounds.append(Bound(kind: .total, key: "total", name: "total points", lower: fullMarks, upper: fullMarks, target: fullMarks))
        }
        // Practical forms must fit the part's duration.
        var timeBound: Int?
        let timed = blueprint.sections.contains { $0.type == .practicalTask }
        if timed {
            let duration = Double(levelSpec.parts[blueprint.part].durationMinutes)
            timeBound = bounds.count
            bounds.append(Bound(kind: .time, key: "minutes", name: "task time (minutes)", lower: 0, upper: duration, target: duration))
        }

        // Candidate items: right occupation, level, direction and type, a weighted key, capacity left.
        let perItemCap = blueprint.maxShared == 0 ? 1 : request.forms
        var problem = AssemblyProblem(
            items: [], section: [], points: [], difficulty: [], weightBound: [], coverageBound: [], bandBound: [], minutes: [], timeBound: timeBound,
            enemy: [],
            capacity: [], pools: Array(repeating: [], count: blueprint.sections.count),
            poolsByWeight: Array(repeating: Array(repeating: [], count: bounds.count), count: blueprint.sections.count),
            sectionCounts: blueprint.sections.map(\.count), bounds: bounds, totalBound: totalBound, enemyGroups: [], forms: request.forms,
            maxShared: blueprint.maxShared, difficultyTarget: blueprint.difficulty?.target ?? 0.65,
            maxDeviation: blueprint.difficulty?.maxDeviation, direction: request.direction
        )
        var enemyIndex: [String: Int] = [:]
        let sectionOf = Dictionary(blueprint.sections.enumerated().map { ($1.type, $0) }, uniquingKeysWith: { first, _ in first })
        for item in all.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            let metadata = item.metadata
            guard metadata.occupation == standard.code, metadata.levels.contains(blueprint.level),
                metadata.directions.includes(request.direction), let section = sectionOf[metadata.type],
                let weight = weightIndex[weightKey(of: metadata.point)],
                !(timed && metadata.type == .practicalTask && metadata.timeMinutes == nil)
            else { continue }
            let capacity = min(perItemCap, blueprint.exposureCap - item.exposure)
            guard capacity > 0 else { continue }
            let index = problem.items.count
            problem.items.append(item)
            problem.section.append(section)
            problem.points.append(blueprint.sections[section].points ?? metadata.points)
            problem.difficulty.append(metadata.difficulty)
            problem.weightBound.append(weight)
            problem.coverageBound.append(coverageIndex[metadata.point] ?? -1)
            problem.bandBound.append(blueprint.bands.firstIndex { $0.contains(metadata.difficulty) }.map { bandIndices[$0] } ?? -1)
            problem.minutes.append(Double(metadata.timeMinutes ?? 0))
            if let group = metadata.enemyGroup {
                if enemyIndex[group] == nil {
                    enemyIndex[group] = problem.enemyGroups.count
                    problem.enemyGroups.append(group)
                }
                problem.enemy.append(enemyIndex[group]!)
            } else {
                problem.enemy.append(-1)
            }
            problem.capacity.append(capacity)
            problem.pools[section].append(index)
            problem.poolsByWeight[section][weight].append(index)
        }
        return problem
    }

    /// Counting arguments that prove the request infeasible, each naming what is short.
    func provenShortfalls(_ request: AssemblyRequest) -> [String] {
        let blueprint = request.blueprint
        let level = blueprint.level.rawValue
        let forms = request.forms
        let formsText = forms == 1 ? "1 form" : "\(forms) \(blueprint.maxShared == 0 ? "disjoint " : "")forms"
        var findings: [String] = []
        for (index, section) in blueprint.sections.enumerated() {
            let supply = pools[index].reduce(0) { $0 + capacity[$1] }
            let needed = section.count * forms
            if supply < needed {
                findings.append(
                    "\(section.type.chineseName) (\(section.type.rawValue)) needs \(section.count) items per form for \(formsText) = \(needed) uses at \(level), \(direction); the bank has \(pools[index].count) usable items giving \(supply)"
                )
            }
        }
        for (boundIndex, bound) in bounds.enumerated() where bound.lower > 0 {
            let members = items.indices.filter {
                switch bound.kind {
                case .weight: weightBound[$0] == boundIndex
                case .coverage: coverageBound[$0] == boundIndex
                case .band: bandBound[$0] == boundIndex
                case .total, .time: true
                }
            }
            let needed = bound.lower * Double(forms)
            switch bound.kind {
            case .weight:
                // The most points a form can take from this 职业功能: its items' points, within each section's count.
                let supply = members.reduce(0.0) { $0 + points[$1] * Double(capacity[$1]) }
                if supply + 1e-9 < needed {
                    let what = bound.key.first?.isLetter == true ? "基本要求" : "职业功能"
                    findings.append(
                        "\(what) \(bound.key) (\(bound.name)) needs at least \(Blueprint.format(bound.lower)) points per form (weight \(Blueprint.format(bound.target)) − tolerance \(Blueprint.format(blueprint.weightTolerance))) for \(formsText) = \(Blueprint.format(needed)) points at \(level); its \(members.count) usable items give at most \(Blueprint.format(supply))"
                    )
                }
            case .coverage, .band:
                let supply = members.reduce(0) { $0 + capacity[$1] }
                if Double(supply) < needed {
                    let what = bound.kind == .coverage ? "鉴定点 \(bound.key)" : "difficulty band \(bound.name)"
                    findings.append(
                        "\(what) needs \(Int(bound.lower)) items per form for \(formsText) = \(Int(needed)) at \(level); the bank has \(members.count) usable giving \(supply)"
                    )
                }
            case .total, .time:
                break
            }
        }
        let weightRows = bounds.filter { $0.kind == .weight }
        let reachable = weightRows.reduce(0.0) { $0 + $1.upper }
        let total = blueprint.sections.compactMap { section in section.points.map { Double(section.count) * $0 } }.reduce(0, +)
        if let timeBound {
            // The shortest tasks a form could take must fit the duration.
            for (index, section) in blueprint.sections.enumerated() where section.type == .practicalTask {
                let shortest = pools[index].map { minutes[$0] }.sorted().prefix(section.count).reduce(0, +)
                if pools[index].count >= section.count && shortest > bounds[timeBound].upper {
                    findings.append(
                        "\(section.count) practical task(s) need at least \(Int(shortest)) minutes at \(level); the part lasts \(Int(bounds[timeBound].upper))"
                    )
                }
            }
        }
        if blueprint.part == .theory && reachable + 1e-9 < total {
            findings.append("the weights plus tolerance allow at most \(Blueprint.format(reachable)) points; a form has \(Blueprint.format(total))")
        }
        return findings
    }

    /// Orders codes as the standard does: B1, B2 … then 1, 2, … 10.
    static func codeOrder(_ lhs: String, _ rhs: String) -> Bool {
        let left = (lhs.first?.isLetter == true ? 0 : 1, Int(lhs.filter(\.isNumber)) ?? 0, lhs)
        let right = (rhs.first?.isLetter == true ? 0 : 1, Int(rhs.filter(\.isNumber)) ?? 0, rhs)
        return left < right
    }
}

/// The problem in index form, for solving the same instance elsewhere (the CP-SAT comparison in
/// `bench/`): per item its section, points, difficulty, bound memberships and uses left.
public struct AssemblyInstance: Sendable, Codable {
    public struct Row: Sendable, Codable {
        public var kind: String
        public var key: String
        public var lower: Double
        public var upper: Double?
    }

    public var forms: Int
    public var sectionCounts: [Int]
    public var maxShared: Int
    public var difficultyTarget: Double
    public var maxDeviation: Double?
    public var rows: [Row]
    public var itemIDs: [String]
    public var section: [Int]
    public var points: [Double]
    public var difficulty: [Double]
    /// Row indices each item counts towards (−1 for none): weight, coverage, band.
    public var weightRow: [Int]
    public var coverageRow: [Int]
    public var bandRow: [Int]
    public var totalRow: Int?
    public var minutes: [Double]
    public var timeRow: Int?
    public var enemy: [Int]
    public var capacity: [Int]

    public init(_ request: AssemblyRequest, items: [AssemblyItem]) throws {
        let problem = try AssemblyProblem.make(request, items: items)
        forms = problem.forms
        sectionCounts = problem.sectionCounts
        maxShared = problem.maxShared
        difficultyTarget = problem.difficultyTarget
        maxDeviation = problem.maxDeviation
        rows = problem.bounds.map {
            Row(kind: $0.kind.rawValue, key: $0.key, lower: $0.lower, upper: $0.upper >= Double(Int.max / 4) ? nil : $0.upper)
        }
        itemIDs = problem.items.map(\.id.rawValue)
        section = problem.section
        points = problem.points
        difficulty = problem.difficulty
        weightRow = problem.weightBound
        coverageRow = problem.coverageBound
        bandRow = problem.bandBound
        totalRow = problem.totalBound
        minutes = problem.minutes
        timeRow = problem.timeBound
        enemy = problem.enemy
        capacity = problem.capacity
    }
}
