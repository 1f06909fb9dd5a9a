import ExamCore
import Foundation
import ItemBank

/// A blueprint (组卷蓝图) for one part of one level: what every form of the paper must hold.
///
/// The share of each 职业功能 and 基本要求 comes from the standard's weight table for the direction
/// being examined; the blueprint says how closely a form must follow it and everything else.
public struct Blueprint: Sendable, Codable, Equatable {
    public var level: Level
    public var part: ExamPart
    /// Theory: sections by item type. Practical: one section of `practical_task` whose items keep
    /// their own points (which must then sum to the part's full marks).
    public var sections: [Section]
    /// Points each 职业功能 / 基本要求 may deviate from its weight (weights are percentages of 100 points).
    public var weightTolerance: Double
    public var difficulty: DifficultyTarget?
    public var bands: [Band]
    public var coverage: [Coverage]
    /// At most this many items in common between any two forms of one assembly (0 = disjoint).
    public var maxShared: Int
    /// At most this many papers (past and in this assembly) may carry one item.
    public var exposureCap: Int

    public struct Section: Sendable, Codable, Equatable {
        public var type: ItemType
        public var count: Int
        /// Points each item earns on the paper (题分); nil keeps the item's own points.
        public var points: Double?

        public init(type: ItemType, count: Int, points: Double?) {
            self.type = type
            self.count = count
            self.points = points
        }
    }

    public struct DifficultyTarget: Sendable, Codable, Equatable {
        /// Target mean proportion correct of a form.
        public var target: Double
        /// A form's mean may not be further than this from the target (a hard limit); the search
        /// brings every form as close to the target as it can.
        public var maxDeviation: Double?

        enum CodingKeys: String, CodingKey {
            case target
            case maxDeviation = "max_deviation"
        }

        public init(target: Double, maxDeviation: Double?) {
            self.target = target
            self.maxDeviation = maxDeviation
        }
    }

    /// A difficulty band: items whose proportion correct is in `from ..< to` (`to` inclusive at 1)
    /// make up between `min` and `max` of a form's items (shares, 0–1).
    public struct Band: Sendable, Codable, Equatable {
        public var name: String
        public var from: Double
        public var to: Double
        public var min: Double
        public var max: Double

        public init(name: String, from: Double, to: Double, min: Double, max: Double) {
            self.name = name
            self.from = from
            self.to = to
            self.min = min
            self.max = max
        }

        public func contains(_ difficulty: Double) -> Bool {
            difficulty >= from && (difficulty < to || (to >= 1 && difficulty <= 1))
        }
    }

    /// Items per form on one 鉴定点 (or 基本要求 code).
    public struct Coverage: Sendable, Codable, Equatable {
        public var point: String
        public var min: Int
        public var max: Int?

        public init(point: String, min: Int, max: Int?) {
            self.point = point
            self.min = min
            self.max = max
        }
    }

    enum CodingKeys: String, CodingKey {
        case level, part, sections, difficulty, bands, coverage
        case weightTolerance = "weight_tolerance"
        case maxShared = "max_shared"
        case exposureCap = "exposure_cap"
    }

    public init(
        level: Level, part: ExamPart, sections: [Section], weightTolerance: Double, difficulty: DifficultyTarget? = nil,
        bands: [Band] = [], coverage: [Coverage] = [], maxShared: Int = 0, exposureCap: Int = 1_000_000
    ) {
        self.level = level
        self.part = part
        self.sections = sections
        self.weightTolerance = weightTolerance
        self.difficulty = difficulty
        self.bands = bands
        self.coverage = coverage
        self.maxShared = maxShared
        self.exposureCap = exposureCap
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(Level.self, forKey: .level)
        part = try container.decode(ExamPart.self, forKey: .part)
        sections = try container.decode([Section].self, forKey: .sections)
        weightTolerance = try container.decode(Double.self, forKey: .weightTolerance)
        difficulty = try container.decodeIfPresent(DifficultyTarget.self, forKey: .difficulty)
        bands = try container.decodeIfPresent([Band].self, forKey: .bands) ?? []
        coverage = try container.decodeIfPresent([Coverage].self, forKey: .coverage) ?? []
        maxShared = try container.decodeIfPresent(Int.self, forKey: .maxShared) ?? 0
        exposureCap = try container.decodeIfPresent(Int.self, forKey: .exposureCap) ?? 1_000_000
    }

    /// Items on one form.
    public var itemCount: Int { sections.reduce(0) { $0 + $1.count } }

    /// Every way the blueprint contradicts itself or its standard, as `path: message`.
    public func problems(in standard: OccupationStandard) -> [String] {
        var problems: [String] = []
        guard let levelSpec = standard.levels.first(where: { $0.level == level }) else {
            return ["level: \(standard.code) has no level \(level.rawValue)"]
        }
        let fullMarks = Double(levelSpec.parts[part].fullMarks)
        if sections.isEmpty { problems.append("sections: a blueprint needs at least one section") }
        for (index, section) in sections.enumerated() {
            if section.count < 1 { problems.append("sections[\(index)].count: must be at least 1") }
            if section.type.part != part {
                problems.append("sections[\(index)].type: \(section.type.rawValue) items belong to the \(section.type.part.rawValue) part, not \(part.rawValue)")
            }
            if let points = section.points, !(points > 0 && points <= fullMarks) {
                problems.append("sections[\(index)].points: must be more than 0 and at most \(Int(fullMarks))")
            }
        }
        if Set(sections.map(\.type)).count != sections.count { problems.append("sections: one section per item type") }
        if part == .theory {
            if sections.contains(where: { $0.points == nil }) {
                problems.append("sections: theory sections give every item its points (题分)")
            } else {
                let total = sections.reduce(0.0) { $0 + Double($1.count) * ($1.points ?? 0) }
                if abs(total - fullMarks) > 1e-9 {
                    problems.append("sections: the sections give \(Self.format(total)) points; the theory part has \(Int(fullMarks))")
                }
            }
        }
        if !(weightTolerance >= 0 && weightTolerance <= 100) { problems.append("weight_tolerance: must be between 0 and 100 points") }
        if let difficulty {
            if !(0...1).contains(difficulty.target) { problems.append("difficulty.target: must be between 0 and 1") }
            if let deviation = difficulty.maxDeviation, !(deviation >= 0 && deviation <= 1) {
                problems.append("difficulty.max_deviation: must be between 0 and 1")
            }
        }
        for (index, band) in bands.enumerated() {
            if !(0...1).contains(band.from) || !(0...1).contains(band.to) || band.from >= band.to {
                problems.append("bands[\(index)]: from and to must satisfy 0 ≤ from < to ≤ 1")
            }
            if !(0...1).contains(band.min) || !(0...1).contains(band.max) || band.min > band.max {
                problems.append("bands[\(index)]: min and max are shares with 0 ≤ min ≤ max ≤ 1")
            }
        }
        let points = Set(standard.functions.flatMap { $0.contents.flatMap { $0.points } }.filter { $0.levels.contains(level) }.map(\.code))
        let basics = Set(standard.basicRequirements.map(\.code))
        for (index, row) in coverage.enumerated() {
            if !points.contains(row.point) && !basics.contains(row.point) {
                problems.append("coverage[\(index)].point: \(row.point) is no 鉴定点 of \(standard.code) at \(level.rawValue)")
            }
            if row.min < 0 || (row.max.map { $0 < row.min } ?? false) {
                problems.append("coverage[\(index)]: need 0 ≤ min ≤ max")
            }
        }
        if Set(coverage.map(\.point)).count != coverage.count { problems.append("coverage: one row per 鉴定点") }
        if maxShared < 0 { problems.append("max_shared: must be 0 or more") }
        if exposureCap < 1 { problems.append("exposure_cap: must be at least 1") }
        return problems
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

/// The blueprints of one occupation (`Exams/blueprints/<code>.yaml`).
public struct BlueprintFile: Sendable, Codable, Equatable {
    public var schema: Int
    public var occupation: OccupationCode
    public var blueprints: [Blueprint]

    /// The blueprint for a level and part, if the file has one.
    public func blueprint(level: Level, part: ExamPart) -> Blueprint? {
        blueprints.first { $0.level == level && $0.part == part }
    }

    /// Every problem of every blueprint, prefixed with its index.
    public func problems(in standard: OccupationStandard) -> [String] {
        var problems: [String] = []
        if schema != 1 { problems.append("schema: only schema 1 is known") }
        if occupation != standard.code { problems.append("occupation: \(occupation) is not \(standard.code)") }
        for (index, blueprint) in blueprints.enumerated() {
            problems += blueprint.problems(in: standard).map { "blueprints[\(index)].\($0)" }
        }
        var seen = Set<String>()
        for blueprint in blueprints where !seen.insert("\(blueprint.level.rawValue)/\(blueprint.part.rawValue)").inserted {
            problems.append("blueprints: two blueprints for \(blueprint.level.rawValue) \(blueprint.part.rawValue)")
        }
        return problems
    }
}
