import Foundation
import Hummingbird
import HTTPTypes

/// Behind a reverse proxy every request comes from the proxy's address. When the peer is one of
/// the configured proxies (`--trusted-proxy`), the client's address is the last entry of
/// `X-Forwarded-For` (the one the proxy itself added); from anyone else the header is ignored, so
/// a client cannot choose the address its logins are throttled and recorded under.
struct ForwardedAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: Set<String>

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let peer = context.remoteAddress?.ipAddress, trusted.contains(peer), let header = request.headers[Self.forwardedFor],
            let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, last.count <= 64 {
            context.forwardedAddress = last
        }
        return try await next(request, context)
    }
}
