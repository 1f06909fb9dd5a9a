import Accounts
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The public view of an account (no password hash).
struct AccountView: ResponseEncodable, Codable {
    var id: String
    var username: String
    var displayName: String
    var roles: [String]
    var occupations: [String]
    var disabled: Bool
    var createdAt: Date

    init(_ account: Account) {
        id = account.id.rawValue
        username = account.username
        displayName = account.displayName
        roles = account.roles.map(\.rawValue)
        occupations = account.occupations.map(\.rawValue)
        disabled = account.disabled
        createdAt = account.createdAt
    }
}

struct AuthRoutes {
    let auth: AuthService
    let secureCookies: Bool

    struct LoginRequest: Decodable {
        var username: String
        var password: String
    }

    struct LoginResponse: ResponseEncodable {
        var token: String
        var expiresAt: Date
        var user: AccountView
    }

    struct MeResponse: ResponseEncodable {
        struct SessionView: Codable {
            var expiresAt: Date
            var idleExpiresAt: Date
        }
        var user: AccountView
        var session: SessionView
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("auth/login") { request, context in try await login(request, context) }
        api.post("auth/logout") { _, context in
            try await auth.logout(try context.requireIdentity())
            var response = Response(status: .noContent)
            response.setCookie(SessionCookie.clear(secure: secureCookies))
            return response
        }
        api.get("me") { _, context in
            let identity = try context.requireIdentity()
            return MeResponse(
                user: AccountView(identity.account),
                session: .init(expiresAt: identity.session.expiresAt, idleExpiresAt: auth.lifetime.idleDeadline(identity.session))
            )
        }
    }

    private func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let login = try await auth.login(username: body.username, password: body.password, address: context.clientAddress)
        let payload = LoginResponse(token: login.token.secret, expiresAt: login.session.expiresAt, user: AccountView(login.account))
        var response = try payload.response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        response.setCookie(SessionCookie.set(login.token.secret, maxAge: Int(auth.lifetime.absolute), secure: secureCookies))
        return response
    }
}

extension Request {
    /// Decodes a JSON body, requiring a JSON content type (which also stops cross-site form posts).
    /// - Throws: `unsupported_media_type` (400), `bad_request` for malformed JSON, `payload_too_large` (413).
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        guard let contentType = headers[.contentType], contentType.lowercased().hasPrefix("application/json") else {
            throw ExamError(.unsupportedMediaType, code: "unsupported_media_type", message: "send the request body as application/json")
        }
        do {
            return try await decode(as: type, context: context)
        } catch is NIOTooManyBytesError {
            throw ExamError(.tooLarge, code: "payload_too_large", message: "the request body is larger than 64 KiB")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ExamError(.tooLarge, code: "payload_too_large", message: "the request body is larger than 64 KiB")
        } catch let error as HTTPError {
            throw ExamError.invalid("bad_request", error.body ?? "the request body is not valid JSON of the expected shape")
        } catch is DecodingError {
            throw ExamError.invalid("bad_request", "the request body is not valid JSON of the expected shape")
        }
    }
}
