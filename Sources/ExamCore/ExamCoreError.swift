/// An error raised by domain code: a stable code, a message safe to show, and no personal data.
///
/// A struct rather than an enum so new codes can be added without breaking callers.
public struct ExamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; the edge maps kinds to transport statuses.
    public enum Kind: String, Sendable, Codable {
        case invalidInput
        case tooLarge
        case unsupportedMediaType
        case methodNotAllowed
        case notFound
        case conflict
        case unauthenticated
        case forbidden
        case throttled
        case unavailable
        case integrity
        case internalFailure
    }

    /// Stable machine-readable code, e.g. `duplicate_username`.
    public let code: String
    /// Human-readable message that never contains secrets or personal data.
    public let message: String
    public let kind: Kind
    /// Seconds after which a throttled request may be retried.
    public let retryAfter: Int?

    public init(_ kind: Kind, code: String, message: String, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }

    public static func invalid(_ code: String, _ message: String) -> ExamError {
        ExamError(.invalidInput, code: code, message: message)
    }
}
