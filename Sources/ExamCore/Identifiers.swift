/// A typed identifier wrapping a string, so IDs of different aggregates never mix.
public protocol TypedID: Hashable, Sendable, Codable, CustomStringConvertible, RawRepresentable
where RawValue == String {
    init(rawValue: String)
}

extension TypedID {
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Identifies an account (a person who logs in).
public struct AccountID: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// Identifies an occupation by its national code, e.g. `2-02-10-09`.
public struct OccupationCode: TypedID {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
