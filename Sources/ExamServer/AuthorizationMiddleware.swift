import Accounts
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The one place where access is decided: looks up the matched route in ``AccessPolicy``,
/// authenticates the session when the route needs one, and checks roles.
///
/// Requests that match no route (static files, 404s) pass through untouched.
struct AuthorizationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let auth: AuthService

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let path = context.endpointPath, path != "NotFound" else {
            return try await next(request, context)
        }
        guard let access = AccessPolicy.access(method: request.method, path: path) else {
            context.logger.error("route without an access policy refused", metadata: ["route": "\(request.method) \(path)"])
            throw ExamError(.forbidden, code: "forbidden", message: "this route has no access policy")
        }
        if access == .anyone {
            return try await next(request, context)
        }
        guard let (token, viaCookie) = Self.token(from: request) else {
            throw ExamError(.unauthenticated, code: "unauthenticated", message: "log in first")
        }
        if viaCookie && !Self.safeMethods.contains(request.method) {
            try Self.checkSameOrigin(request)
        }
        let identity = try await auth.authenticate(token: token)
        guard access.allows(identity.account.roles) else {
            throw ExamError(.forbidden, code: "forbidden", message: "your roles do not allow this")
        }
        var context = context
        context.identity = identity
        context.logger[metadataKey: "account"] = .string(identity.account.id.rawValue)
        return try await next(request, context)
    }

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    /// The session token from `Authorization: Bearer …` or the `assay_session` cookie, and whether
    /// it came from the cookie (which a browser attaches by itself, so it needs a CSRF check).
    static func token(from request: Request) -> (String, Bool)? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            return token.isEmpty ? nil : (token, false)
        }
        return request.cookies[SessionCookie.name].map { ($0.value, true) }
    }

    /// Refuses a cookie-authenticated state change that a browser says came from another site:
    /// `Sec-Fetch-Site` must be same-origin (or none, a typed URL), and `Origin`, when sent, must
    /// name this host. Backs up SameSite=Strict, which a sibling subdomain can get around.
    static func checkSameOrigin(_ request: Request) throws {
        let refused = ExamError(.forbidden, code: "cross_site_request", message: "cross-site requests are refused")
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            throw refused
        }
        if let origin = request.headers[.origin], origin != "null" {
            let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? ""
            guard let url = URL(string: origin), let originHost = url.host else { throw refused }
            let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
            guard originAuthority.lowercased() == host.lowercased() else { throw refused }
        } else if request.headers[.origin] == "null" {
            throw refused
        }
    }
}

/// The browser's session cookie: HttpOnly, SameSite=Strict, never readable by scripts.
enum SessionCookie {
    static let name = "assay_session"

    static func set(_ token: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: name, value: token, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func clear(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}
