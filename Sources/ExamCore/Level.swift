/// A qualification level (等级). Every occupation has exactly these three.
public enum Level: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    case junior = "初级"
    case intermediate = "中级"
    case senior = "高级"

    public static func < (lhs: Level, rhs: Level) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let level = Level(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown level '\(text)' (expected 初级, 中级 or 高级)"
            )
        }
        self = level
    }
}

/// A direction (方向) within an occupation and level; `不分方向` when the level has none.
public struct Direction: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }

    /// The value used when a level has no directions.
    public static let undivided = Direction("不分方向")

    public var description: String { name }
    public static func < (lhs: Direction, rhs: Direction) -> Bool { lhs.name < rhs.name }

    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// The two parts of every examination; each is scored out of its full marks and passed separately.
public enum ExamPart: String, CaseIterable, Codable, Sendable, Hashable {
    /// 理论知识考核
    case theory
    /// 专业能力考核
    case ability

    public var chineseName: String {
        switch self {
        case .theory: "理论知识考核"
        case .ability: "专业能力考核"
        }
    }
}
