/// 申报条件 of one level: the training proof (when required) and any one of the clauses.
public struct LevelEligibility: Sendable, Codable, Equatable {
    public var level: Level
    public var requiresTraining: Bool
    public var clauses: [EligibilityClause]

    public init(level: Level, requiresTraining: Bool, clauses: [EligibilityClause]) {
        self.level = level
        self.requiresTraining = requiresTraining
        self.clauses = clauses
    }

    enum CodingKeys: String, CodingKey {
        case level, clauses
        case requiresTraining = "requires_training"
    }
}

/// One clause: all of its conditions must hold.
public struct EligibilityClause: Sendable, Codable, Equatable {
    public var id: String
    /// The clause as the standard words it, shown to candidates and reviewers.
    public var text: String
    public var allOf: [EligibilityCondition]

    enum CodingKeys: String, CodingKey {
        case id, text
        case allOf = "all_of"
    }
}

/// Professional titles (职称), in ascending order.
public enum ProfessionalTitle: String, CaseIterable, Codable, Sendable, Comparable {
    case technician = "技术员"
    case assistantEngineer = "助理工程师"
    case engineer = "工程师"
    case seniorEngineer = "高级工程师"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Highest education attained (学历).
public enum Education: String, CaseIterable, Codable, Sendable {
    case secondaryVocational = "中专"
    case technicalSchool = "技工院校"
    case juniorCollege = "大专"
    case bachelor = "本科"
    case secondBachelor = "第二学士"
    case master = "硕士"
    case doctorate = "博士"
}

/// One condition of an eligibility clause. In YAML, a map with exactly one key.
public enum EligibilityCondition: Sendable, Equatable, Codable {
    /// Holds at least this professional title.
    case title(ProfessionalTitle)
    /// Years since obtaining that title.
    case yearsSinceTitle(Int)
    /// Highest education is one of these.
    case educationIn([Education])
    /// The degree is in a relevant major.
    case relevantMajor(Bool)
    /// Final-year students of that education count.
    case finalYearStudents(Bool)
    /// Holds this occupation's certificate of at least this level.
    case certificate(Level)
    /// Years working in the occupation since that certificate.
    case yearsSinceCertificate(Int)
    /// Years working in the occupation.
    case yearsInOccupation(Int)
    /// Graduate of a technical school meeting national rules.
    case technicalSchool(Bool)

    /// The YAML keys, in the order documented in `docs/EXAMS.md`.
    public static let keys = [
        "title", "years_since_title", "education_in", "relevant_major", "final_year_students",
        "certificate", "years_since_certificate", "years_in_occupation", "technical_school",
    ]

    struct Key: CodingKey {  // always a string key, like CodeKey
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a condition must have exactly one key, one of: \(Self.keys.joined(separator: ", "))"
            ))
        }
        switch key.stringValue {
        case "title": self = .title(try container.decode(ProfessionalTitle.self, forKey: key))
        case "years_since_title": self = .yearsSinceTitle(try container.decode(Int.self, forKey: key))
        case "education_in": self = .educationIn(try container.decode([Education].self, forKey: key))
        case "relevant_major": self = .relevantMajor(try container.decode(Bool.self, forKey: key))
        case "final_year_students": self = .finalYearStudents(try container.decode(Bool.self, forKey: key))
        case "certificate": self = .certificate(try container.decode(Level.self, forKey: key))
        case "years_since_certificate": self = .yearsSinceCertificate(try container.decode(Int.self, forKey: key))
        case "years_in_occupation": self = .yearsInOccupation(try container.decode(Int.self, forKey: key))
        case "technical_school": self = .technicalSchool(try container.decode(Bool.self, forKey: key))
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown condition '\(key.stringValue)' (expected one of: \(Self.keys.joined(separator: ", ")))"
            ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .title(let value): try container.encode(value, forKey: Key(stringValue: "title"))
        case .yearsSinceTitle(let value): try container.encode(value, forKey: Key(stringValue: "years_since_title"))
        case .educationIn(let value): try container.encode(value, forKey: Key(stringValue: "education_in"))
        case .relevantMajor(let value): try container.encode(value, forKey: Key(stringValue: "relevant_major"))
        case .finalYearStudents(let value): try container.encode(value, forKey: Key(stringValue: "final_year_students"))
        case .certificate(let value): try container.encode(value, forKey: Key(stringValue: "certificate"))
        case .yearsSinceCertificate(let value):
            try container.encode(value, forKey: Key(stringValue: "years_since_certificate"))
        case .yearsInOccupation(let value): try container.encode(value, forKey: Key(stringValue: "years_in_occupation"))
        case .technicalSchool(let value): try container.encode(value, forKey: Key(stringValue: "technical_school"))
        }
    }

    /// A year count the validator must check is not negative, if this condition carries one.
    var yearCount: Int? {
        switch self {
        case .yearsSinceTitle(let n), .yearsSinceCertificate(let n), .yearsInOccupation(let n): n
        default: nil
        }
    }
}
