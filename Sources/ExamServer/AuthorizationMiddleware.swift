import Accounts
import ExamCore
import Foundation
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
        guard let token = Self.token(from: request) else {
            throw ExamError(.unauthenticated, code: "unauthenticated", message: "log in first")
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

    /// The session token from `Authorization: Bearer …` or the `assay_session` cookie.
    static func token(from request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
            return token.isEmpty ? nil : token
        }
        return request.cookies[SessionCookie.name]?.value
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
