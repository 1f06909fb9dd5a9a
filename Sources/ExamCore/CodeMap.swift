/// A coding key that is always a string, so map keys such as `"1"` stay codes and are never taken
/// for array indices by decoders that try integer keys first.
struct CodeKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// Decodes a map from codes (职业功能 or 基本要求 codes) to integer weights.
    func decodeCodeMap(forKey key: Key) throws -> [String: Int] {
        let nested = try nestedContainer(keyedBy: CodeKey.self, forKey: key)
        var result: [String: Int] = [:]
        for code in nested.allKeys {
            result[code.stringValue] = try nested.decode(Int.self, forKey: code)
        }
        return result
    }
}

extension TheoryWeights {
    enum CodingKeys: String, CodingKey {
        case level, direction, basic, related
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(Level.self, forKey: .level)
        direction = try container.decode(Direction.self, forKey: .direction)
        basic = try container.decodeCodeMap(forKey: .basic)
        related = try container.decodeCodeMap(forKey: .related)
    }
}

extension AbilityWeights {
    enum CodingKeys: String, CodingKey {
        case level, direction, functions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(Level.self, forKey: .level)
        direction = try container.decode(Direction.self, forKey: .direction)
        functions = try container.decodeCodeMap(forKey: .functions)
    }
}
