import ExamCore
import Foundation

/// Identifies an item across all its versions, e.g. `AI-1-0001`.
public struct ItemID: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// The kinds of item the bank holds.
public enum ItemType: String, Codable, Sendable, CaseIterable {
    /// 单选题
    case singleChoice = "single_choice"
    /// 多选题
    case multipleChoice = "multiple_choice"
    /// 判断题
    case trueFalse = "true_false"
    /// 填空题 (several blanks, accepted variants per blank)
    case fillIn = "fill_in"
    /// 简答题 (examiner-scored)
    case shortAnswer = "short_answer"
    /// 专业能力考核 practical task (examiner-scored against its scoring table)
    case practicalTask = "practical_task"

    public var chineseName: String {
        switch self {
        case .singleChoice: "单选题"
        case .multipleChoice: "多选题"
        case .trueFalse: "判断题"
        case .fillIn: "填空题"
        case .shortAnswer: "简答题"
        case .practicalTask: "实操题"
        }
    }

    /// Whether the item is scored automatically.
    public var isObjective: Bool {
        switch self {
        case .singleChoice, .multipleChoice, .trueFalse, .fillIn: true
        case .shortAnswer, .practicalTask: false
        }
    }

    /// The part of the exam the item belongs to.
    public var part: ExamPart { self == .practicalTask ? .ability : .theory }
}

/// Where an item sits in the life cycle: draft → in review → active → retired.
public enum ItemStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case inReview = "in_review"
    case active
    case retired

    /// Whether moving from this status to `next` is allowed (a rejected review goes back to draft).
    public func canMove(to next: ItemStatus) -> Bool {
        switch (self, next) {
        case (.draft, .inReview), (.inReview, .active), (.inReview, .draft), (.active, .retired): true
        default: false
        }
    }
}

/// One scoring point of a practical task or short answer (评分细则).
public struct ScoringPoint: Codable, Sendable, Equatable {
    /// What is scored (评分要点).
    public var point: String
    /// 配分
    public var marks: Double
    /// 评分细则: how marks are given.
    public var criteria: String

    public init(point: String, marks: Double, criteria: String) {
        self.point = point
        self.marks = marks
        self.criteria = criteria
    }
}

/// An attachment a candidate receives with a practical task.
public struct Material: Codable, Sendable, Equatable {
    public var name: String
    public var description: String

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }
}

/// The key of an objective item.
public enum AnswerKey: Codable, Sendable, Equatable {
    /// Single choice: one option letter.
    case option(String)
    /// Multiple choice: two or more option letters, sorted.
    case options([String])
    /// True/false.
    case truth(Bool)
    /// Fill-in: per blank, the accepted variants.
    case blanks([[String]])
}

/// The confidential part of an item version: everything a candidate must not see before the
/// sitting and nobody may read without the bank unsealed. Held encrypted at rest.
public struct ItemContent: Codable, Sendable, Equatable {
    public var stem: String
    /// Option letter → text, for choice items.
    public var options: [String: String]
    public var answer: AnswerKey?
    public var referenceAnswer: String?
    public var scoring: [ScoringPoint]
    /// 解析
    public var explanation: String?
    /// 考核准备通知单
    public var preparation: String?
    public var statement: String?
    public var materials: [Material]
    public var timeMinutes: Int?

    public init(
        stem: String, options: [String: String] = [:], answer: AnswerKey? = nil, referenceAnswer: String? = nil,
        scoring: [ScoringPoint] = [], explanation: String? = nil, preparation: String? = nil, statement: String? = nil,
        materials: [Material] = [], timeMinutes: Int? = nil
    ) {
        self.stem = stem
        self.options = options
        self.answer = answer
        self.referenceAnswer = referenceAnswer
        self.scoring = scoring
        self.explanation = explanation
        self.preparation = preparation
        self.statement = statement
        self.materials = materials
        self.timeMinutes = timeMinutes
    }
}

/// Which directions an item suits. Encoded as `"all"` or a list of direction names.
public enum DirectionScope: Codable, Sendable, Equatable {
    case all
    case only([Direction])

    public func includes(_ direction: Direction) -> Bool {
        switch self {
        case .all: true
        case .only(let directions): directions.contains(direction)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "all" {
            self = .all
        } else {
            self = .only(try container.decode([Direction].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .only(let directions): try container.encode(directions)
        }
    }
}

/// What may be known about an item without reading it: classification, statistics, state.
/// Stored in clear so papers can be assembled and banks reported on while the bank is sealed.
public struct ItemMetadata: Codable, Sendable, Equatable {
    public var id: ItemID
    public var type: ItemType
    public var occupation: OccupationCode
    public var levels: [Level]
    public var directions: DirectionScope
    /// 鉴定点 code (or a 基本要求 code such as `B1`).
    public var point: String
    /// Estimated proportion correct, 0…1.
    public var difficulty: Double
    public var discrimination: Double?
    public var points: Double
    public var enemyGroup: String?
    /// Whether the item was generated for scale tests rather than written by a person.
    public var synthetic: Bool
    /// Practical tasks: the time the task takes (also in the content), so papers can be fitted to
    /// the part's duration while the bank is sealed.
    public var timeMinutes: Int?

    public init(
        id: ItemID, type: ItemType, occupation: OccupationCode, levels: [Level], directions: DirectionScope, point: String,
        difficulty: Double, discrimination: Double? = nil, points: Double, enemyGroup: String? = nil, synthetic: Bool = false,
        timeMinutes: Int? = nil
    ) {
        self.timeMinutes = timeMinutes
        self.id = id
        self.type = type
        self.occupation = occupation
        self.levels = levels
        self.directions = directions
        self.point = point
        self.difficulty = difficulty
        self.discrimination = discrimination
        self.points = points
        self.enemyGroup = enemyGroup
        self.synthetic = synthetic
    }
}

/// An item as written or imported: its metadata and its confidential content.
public struct ItemDraft: Sendable, Equatable {
    public var metadata: ItemMetadata
    public var content: ItemContent

    public init(metadata: ItemMetadata, content: ItemContent) {
        self.metadata = metadata
        self.content = content
    }
}
