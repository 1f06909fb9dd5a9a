/// An occupation standard (国家职业技术技能标准) held as data: levels, directions, parts, the 鉴定点 tree,
/// the weight tables and the eligibility clauses. Loaded from `Exams/*.yaml`; checked by ``StandardValidator``.
public struct OccupationStandard: Sendable, Codable, Equatable {
    public var schema: Int
    public var code: OccupationCode
    public var name: String
    public var nameEnglish: String?
    public var source: String?
    /// Which parts of the file are illustrative figures rather than official ones.
    public var illustrative: [String]?
    public var levels: [LevelSpec]
    public var basicRequirements: [BasicRequirement]
    public var functions: [OccupationalFunction]
    public var weights: WeightTables
    public var eligibility: [LevelEligibility]

    enum CodingKeys: String, CodingKey {
        case schema, code, name, source, illustrative, levels, functions, weights, eligibility
        case nameEnglish = "name_en"
        case basicRequirements = "basic_requirements"
    }

    /// The level specification for `level`, if the standard has it.
    public func spec(for level: Level) -> LevelSpec? {
        levels.first { $0.level == level }
    }
}

/// One level of an occupation: its directions, required training hours and the two parts.
public struct LevelSpec: Sendable, Codable, Equatable {
    /// The directions a candidate chooses between: none where the level is 不分方向.
    public var examinedDirections: [Direction] { directions.filter { $0 != .undivided } }

    public var level: Level
    public var directions: [Direction]
    public var trainingHours: Int
    public var parts: Parts

    public struct Parts: Sendable, Codable, Equatable {
        public var theory: PartRules
        public var ability: PartRules

        public subscript(part: ExamPart) -> PartRules {
            switch part {
            case .theory: theory
            case .ability: ability
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case level, directions, parts
        case trainingHours = "training_hours"
    }
}

/// Timing, marks and staffing of one part at one level.
public struct PartRules: Sendable, Codable, Equatable {
    public var durationMinutes: Int
    public var fullMarks: Int
    public var passMark: Int
    /// Candidates arriving later than this after the start are refused.
    public var lateEntryMinutes: Int
    /// Hand-in is refused before this many minutes after the start.
    public var earliestHandInMinutes: Int
    public var staffing: StaffingRule
    /// How objective items are scored (`scoring:` in the YAML; the defaults when absent).
    public var scoring: ObjectiveScoringRules
    /// How examiners' marks are combined (`marking:` in the YAML; the defaults when absent).
    public var marking: MarkingRules

    enum CodingKeys: String, CodingKey {
        case staffing, scoring, marking
        case durationMinutes = "duration_minutes"
        case fullMarks = "full_marks"
        case passMark = "pass_mark"
        case lateEntryMinutes = "late_entry_minutes"
        case earliestHandInMinutes = "earliest_hand_in_minutes"
    }

    public init(
        durationMinutes: Int, fullMarks: Int, passMark: Int, lateEntryMinutes: Int, earliestHandInMinutes: Int,
        staffing: StaffingRule, scoring: ObjectiveScoringRules = .init(), marking: MarkingRules = .init()
    ) {
        self.durationMinutes = durationMinutes
        self.fullMarks = fullMarks
        self.passMark = passMark
        self.lateEntryMinutes = lateEntryMinutes
        self.earliestHandInMinutes = earliestHandInMinutes
        self.staffing = staffing
        self.scoring = scoring
        self.marking = marking
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        durationMinutes = try container.decode(Int.self, forKey: .durationMinutes)
        fullMarks = try container.decode(Int.self, forKey: .fullMarks)
        passMark = try container.decode(Int.self, forKey: .passMark)
        lateEntryMinutes = try container.decode(Int.self, forKey: .lateEntryMinutes)
        earliestHandInMinutes = try container.decode(Int.self, forKey: .earliestHandInMinutes)
        staffing = try container.decode(StaffingRule.self, forKey: .staffing)
        scoring = try container.decodeIfPresent(ObjectiveScoringRules.self, forKey: .scoring) ?? .init()
        marking = try container.decodeIfPresent(MarkingRules.self, forKey: .marking) ?? .init()
    }

    /// Whether a score passes this part (the pass mark is inclusive).
    public func passes(_ score: Double) -> Bool { score >= Double(passMark) }
}

/// How a part's objective items are scored (issue 7 §1). Single choice and true/false are exact;
/// fill-in gives each blank its share of the points when it matches an accepted variant after
/// normalisation; multiple choice is all-or-nothing unless `partial` is chosen, when a selection of
/// correct options only (少选) earns `partialShare` of the points and any wrong option earns nothing.
public struct ObjectiveScoringRules: Sendable, Codable, Equatable {
    public enum MultipleChoice: String, Sendable, Codable, CaseIterable {
        case allOrNothing = "all_or_nothing"
        /// 少选得部分分、错选不得分
        case partial
    }

    public var multipleChoice: MultipleChoice
    public var partialShare: Double

    enum CodingKeys: String, CodingKey {
        case multipleChoice = "multiple_choice"
        case partialShare = "partial_share"
    }

    public init(multipleChoice: MultipleChoice = .allOrNothing, partialShare: Double = 0.5) {
        self.multipleChoice = multipleChoice
        self.partialShare = partialShare
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        multipleChoice = try container.decodeIfPresent(MultipleChoice.self, forKey: .multipleChoice) ?? .allOrNothing
        partialShare = try container.decodeIfPresent(Double.self, forKey: .partialShare) ?? 0.5
    }
}

/// How two examiners' marks become one (issue 7 §2, docs/MARKING.md). A third mark, by the chief
/// examiner, is needed when the two totals differ by more than `adjudicationShare` of what the
/// marked items are worth, or when the provisional part score lies within `passBand` of the pass
/// mark; the third mark then decides. Otherwise the mean of the two counts.
public struct MarkingRules: Sendable, Codable, Equatable {
    public var adjudicationShare: Double
    public var passBand: Double
    /// Marks are entered in multiples of this (最小计分单位).
    public var markStep: Double

    enum CodingKeys: String, CodingKey {
        case adjudicationShare = "adjudication_share"
        case passBand = "pass_band"
        case markStep = "mark_step"
    }

    public init(adjudicationShare: Double = 0.1, passBand: Double = 2, markStep: Double = 0.5) {
        self.adjudicationShare = adjudicationShare
        self.passBand = passBand
        self.markStep = markStep
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        adjudicationShare = try container.decodeIfPresent(Double.self, forKey: .adjudicationShare) ?? 0.1
        passBand = try container.decodeIfPresent(Double.self, forKey: .passBand) ?? 2
        markStep = try container.decodeIfPresent(Double.self, forKey: .markStep) ?? 0.5
    }
}

/// Staffing of a room (theory: invigilators) or a panel (ability: examiners).
public struct StaffingRule: Sendable, Codable, Equatable {
    /// At least one staff member per this many candidates.
    public var candidatesPerStaff: Int
    /// At least this many staff per room or panel.
    public var minStaffPerRoom: Int
    /// The number of staff must be odd (practical panels vote).
    public var oddPanel: Bool
    /// One staff member is the chief examiner.
    public var chiefExaminer: Bool

    enum CodingKeys: String, CodingKey {
        case candidatesPerStaff = "candidates_per_staff"
        case minStaffPerRoom = "min_staff_per_room"
        case oddPanel = "odd_panel"
        case chiefExaminer = "chief_examiner"
    }

    public init(candidatesPerStaff: Int, minStaffPerRoom: Int, oddPanel: Bool, chiefExaminer: Bool) {
        self.candidatesPerStaff = candidatesPerStaff
        self.minStaffPerRoom = minStaffPerRoom
        self.oddPanel = oddPanel
        self.chiefExaminer = chiefExaminer
    }

    /// The loosest staffing a standard may declare for a part: theory rooms at least one
    /// invigilator per 15 candidates and two per room; practical panels at least one examiner per
    /// 5 candidates, three per panel, an odd number, with a chief examiner. Standards may be stricter.
    public static func floor(for part: ExamPart) -> StaffingRule {
        switch part {
        case .theory: StaffingRule(candidatesPerStaff: 15, minStaffPerRoom: 2, oddPanel: false, chiefExaminer: false)
        case .ability: StaffingRule(candidatesPerStaff: 5, minStaffPerRoom: 3, oddPanel: true, chiefExaminer: true)
        }
    }

    /// The smallest staff count that satisfies this rule for `candidates` candidates.
    public func requiredStaff(forCandidates candidates: Int) -> Int {
        let perRatio = candidatesPerStaff > 0 ? (candidates + candidatesPerStaff - 1) / candidatesPerStaff : 0
        var count = max(perRatio, minStaffPerRoom)
        if oddPanel && count % 2 == 0 { count += 1 }
        return count
    }
}

/// A row of 基本要求 in the theory weight table (e.g. 职业道德, 基础知识).
public struct BasicRequirement: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
}

/// 职业功能: the top of the 鉴定点 tree.
public struct OccupationalFunction: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var contents: [WorkContent]
}

/// 工作内容: the middle of the 鉴定点 tree.
public struct WorkContent: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var points: [AssessmentPoint]
}

/// 鉴定点: a leaf of the tree, examined at the listed levels.
public struct AssessmentPoint: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var levels: [Level]
}

/// 理论知识权重表 and 专业能力权重表: one column per (level, direction).
public struct WeightTables: Sendable, Codable, Equatable {
    public var theory: [TheoryWeights]
    public var ability: [AbilityWeights]
}

/// One column of the theory weight table: 基本要求 plus 相关知识 per 职业功能, summing to 100.
public struct TheoryWeights: Sendable, Codable, Equatable {
    public var level: Level
    public var direction: Direction
    public var basic: [String: Int]
    public var related: [String: Int]

    /// The column's sum (saturating, so absurd values cannot crash a check).
    public var total: Int { WeightSum.of(Array(basic.values) + Array(related.values)) }
}

/// One column of the ability weight table: 职业功能 weights summing to 100.
public struct AbilityWeights: Sendable, Codable, Equatable {
    public var level: Level
    public var direction: Direction
    public var functions: [String: Int]

    /// The column's sum (saturating, so absurd values cannot crash a check).
    public var total: Int { WeightSum.of(Array(functions.values)) }
}

enum WeightSum {
    static func of(_ values: [Int]) -> Int {
        values.reduce(0) { sum, value in
            let (result, overflow) = sum.addingReportingOverflow(value)
            return overflow ? (value > 0 ? Int.max : Int.min) : result
        }
    }
}
