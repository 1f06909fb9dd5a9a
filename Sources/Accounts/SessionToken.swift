import Crypto
import ExamCore
import Foundation

/// A bearer session token: 256 random bits, shown to the client once and stored only as its SHA-256.
public struct SessionToken: Sendable {
    /// The secret the client holds (base64url, no padding).
    public let secret: String
    /// What the database stores: the hex SHA-256 of the secret.
    public var storedHash: String { Self.hash(secret) }

    /// Makes a fresh token from the system's secure random source.
    public static func generate() -> SessionToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SessionToken(secret: Data(bytes).base64URLEncoded())
    }

    /// The stored form of a presented secret.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }
}

/// A login session as stored: only the token's hash, with idle and absolute expiry.
public struct AuthSession: Sendable, Equatable {
    public var tokenHash: String
    public var accountID: AccountID
    public var createdAt: Date
    public var lastSeenAt: Date
    /// The session ends at this instant however active it is.
    public var expiresAt: Date
    public var revokedAt: Date?
    public var clientAddress: String?

    public init(
        tokenHash: String, accountID: AccountID, createdAt: Date, lastSeenAt: Date, expiresAt: Date,
        revokedAt: Date? = nil, clientAddress: String? = nil
    ) {
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.clientAddress = clientAddress
    }
}

/// How long sessions live.
public struct SessionLifetime: Sendable, Equatable {
    /// A session unused for this long ends.
    public var idle: TimeInterval
    /// A session ends this long after login, however active.
    public var absolute: TimeInterval

    public init(idle: TimeInterval = 30 * 60, absolute: TimeInterval = 12 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    /// Whether `session` is usable at `now`.
    public func isActive(_ session: AuthSession, at now: Date) -> Bool {
        session.revokedAt == nil && now < session.expiresAt && now.timeIntervalSince(session.lastSeenAt) < idle
    }

    /// When the session ends if unused from `now` on.
    public func idleDeadline(_ session: AuthSession) -> Date {
        min(session.lastSeenAt.addingTimeInterval(idle), session.expiresAt)
    }
}
