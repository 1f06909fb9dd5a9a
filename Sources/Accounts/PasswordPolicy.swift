import ExamCore
import Foundation

/// NIST SP 800-63B style password rules: a minimum length, no composition rules, and a check
/// against a list of commonly used passwords.
public struct PasswordPolicy: Sendable {
    /// A password for an account someone else creates (a generated login, a roster import): five
    /// groups of five from an alphabet without look-alikes, about 119 bits. Shown once.
    public static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<5).map { _ in String((0..<5).map { _ in alphabet.randomElement(using: &generator)! }) }.joined(separator: "-")
    }

    public var minimumLength: Int
    public var maximumLength: Int
    private let common: Set<String>

    /// - Parameter commonPasswords: lower-cased passwords to refuse; defaults to the shipped list.
    public init(minimumLength: Int = 8, maximumLength: Int = 256, commonPasswords: Set<String>? = nil) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.common = commonPasswords ?? Self.shippedList
    }

    /// The number of passwords on the refusal list.
    public var commonListSize: Int { common.count }

    /// - Throws: ``ExamError`` `weak_password` saying which rule failed (never echoing the password).
    public func check(_ password: String, username: String? = nil) throws {
        let length = password.count
        if length < minimumLength {
            throw ExamError.invalid("weak_password", "a password needs at least \(minimumLength) characters")
        }
        if length > maximumLength {
            throw ExamError.invalid("weak_password", "a password may have at most \(maximumLength) characters")
        }
        let lowered = password.lowercased()
        if common.contains(lowered) {
            throw ExamError.invalid("weak_password", "this password is on the list of commonly used passwords")
        }
        if let username, !username.isEmpty, lowered.contains(username.lowercased()) {
            throw ExamError.invalid("weak_password", "a password must not contain the username")
        }
        if Set(password).count == 1 {
            throw ExamError.invalid("weak_password", "a password must not repeat a single character")
        }
    }

    /// The shipped list of common passwords (`Resources/common-passwords.txt`).
    public static let shippedList: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.lowercased() }.filter { !$0.hasPrefix("#") })
    }()
}
