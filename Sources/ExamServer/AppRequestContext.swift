import Accounts
import Foundation
import ExamCore
import Hummingbird
import Logging
import NIOCore

/// Who is making a request, once the authorization middleware has checked their session.
public struct Identity: Sendable {
    public var account: Account
    public var session: AuthSession
    public var tokenHash: String
}

/// The request context of every Assay route.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthorizationMiddleware`` on routes that require a login.
    public var identity: Identity?
    public let remoteAddress: SocketAddress?
    /// The client's address as a trusted reverse proxy reported it (``ForwardedAddressMiddleware``).
    public var forwardedAddress: String?
    /// Largest JSON request body decoded (64 KiB); bigger bodies get 413 `payload_too_large`.
    public var maxUploadSize: Int { 64 * 1024 }

    /// JSON responses with ISO 8601 dates and sorted keys, so equal answers are equal bytes.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.identity = nil
        self.forwardedAddress = nil
    }

    /// The client address as text, for throttling and the record.
    public var clientAddress: String? {
        forwardedAddress ?? remoteAddress?.ipAddress
    }

    /// The authenticated identity, or `unauthenticated`.
    public func requireIdentity() throws -> Identity {
        guard let identity else {
            throw ExamError(.unauthenticated, code: "unauthenticated", message: "log in first")
        }
        return identity
    }
}
