import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The JSON error body every API error uses: `{"error":{"code","message"}}`.
struct APIErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
    }
    var error: Detail
}

/// An ``ExamError`` as an HTTP response: the only place that maps domain failures to statuses.
struct APIError: HTTPResponseError {
    let error: ExamError

    var status: HTTPResponse.Status {
        switch error.kind {
        case .invalidInput: .badRequest
        case .tooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .methodNotAllowed: .methodNotAllowed
        case .notFound: .notFound
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .throttled: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .integrity, .internalFailure: .internalServerError
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter = error.retryAfter {
            headers[.retryAfter] = String(retryAfter)
        }
        if error.kind == .unauthenticated {
            headers[.wwwAuthenticate] = "Bearer realm=\"assay\""
        }
        let body = APIErrorBody(error: .init(code: error.code, message: error.message))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error thrown below it into the JSON error body, so no route, decoder or
/// framework error reaches a client as HTML or as an internal description.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ExamError {
            if error.kind == .internalFailure || error.kind == .integrity {
                context.logger.error("request failed", metadata: ["code": .string(error.code), "message": .string(error.message)])
            }
            return try APIError(error: error).response(from: request, context: context)
        } catch let error as HTTPError {
            return try APIError(error: Self.map(error)).response(from: request, context: context)
        } catch is DecodingError {
            return try APIError(error: .invalid("bad_request", "the request body is not valid JSON of the expected shape"))
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["type": .string(String(describing: type(of: error)))])
            return try APIError(error: ExamError(.internalFailure, code: "internal_error", message: "an internal error occurred"))
                .response(from: request, context: context)
        }
    }

    static func map(_ error: HTTPError) -> ExamError {
        switch error.status {
        case .notFound: ExamError(.notFound, code: "not_found", message: "no such resource")
        case .contentTooLarge: ExamError(.tooLarge, code: "payload_too_large", message: "the request body is too large")
        case .methodNotAllowed: ExamError(.methodNotAllowed, code: "method_not_allowed", message: "this method is not allowed here")
        case .unsupportedMediaType: ExamError(.unsupportedMediaType, code: "unsupported_media_type", message: "unsupported content type")
        case .unauthorized: ExamError(.unauthenticated, code: "unauthenticated", message: "log in first")
        case .forbidden: ExamError(.forbidden, code: "forbidden", message: "not allowed")
        case .badRequest: ExamError(.invalidInput, code: "bad_request", message: error.body ?? "bad request")
        case .tooManyRequests: ExamError(.throttled, code: "too_many_requests", message: "too many requests")
        case .serviceUnavailable: ExamError(.unavailable, code: "unavailable", message: "the service is unavailable")
        default:
            error.status.code < 500
                ? ExamError(.invalidInput, code: "bad_request", message: error.status.reasonPhrase)
                : ExamError(.internalFailure, code: "internal_error", message: "an internal error occurred")
        }
    }
}
