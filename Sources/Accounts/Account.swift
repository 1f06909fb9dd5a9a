import ExamCore
import Foundation

/// A person who logs in: staff of the evaluation body or a candidate.
///
/// The password is held only as an Argon2id encoded hash.
public struct Account: Sendable, Equatable, Codable {
    public var id: AccountID
    /// Lower-case login name; unique.
    public var username: String
    public var displayName: String
    public var roles: [Role]
    /// Occupations this staff member works in (authors write and review items of these), sorted.
    public var occupations: [OccupationCode]
    public var passwordHash: String
    public var disabled: Bool
    public var createdAt: Date

    public init(
        id: AccountID = AccountID(rawValue: UUID().uuidString.lowercased()),
        username: String,
        displayName: String,
        roles: [Role],
        occupations: [OccupationCode] = [],
        passwordHash: String,
        disabled: Bool = false,
        createdAt: Date
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.roles = Array(Set(roles)).sorted()
        self.occupations = Array(Set(occupations)).sorted { $0.rawValue < $1.rawValue }
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = createdAt
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
}

/// Rules for login names.
public enum Username {
    /// Normalises and checks a login name: 3–64 characters of `a-z 0-9 . _ - @`, case-insensitive.
    /// - Throws: ``ExamError`` `invalid_username` with the reason.
    public static func normalise(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...64).contains(name.count) else {
            throw ExamError.invalid("invalid_username", "a username has 3 to 64 characters")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-@")
        guard name.allSatisfy(allowed.contains) else {
            throw ExamError.invalid("invalid_username", "a username may contain only a-z, 0-9, '.', '_', '-' and '@'")
        }
        return name
    }

    /// Checks a display name: 1–100 characters, no control characters.
    public static func checkDisplayName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw ExamError.invalid("invalid_display_name", "a display name has 1 to 100 printable characters")
        }
        return name
    }
}
