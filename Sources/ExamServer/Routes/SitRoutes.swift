import Accounts
import Audit
import Delivery
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Storage

/// Signing in to a sitting with the admission ticket, the WebSocket of the sitting
/// (docs/PROTOCOL.md), and the staff's controls of a live sitting.
struct SitRoutes {
    let runtime: DeliveryRuntime
    let auth: AuthService
    let store: Store
    let secureCookies: Bool

    struct LoginRequest: Decodable {
        var ticket: String
        var idNumber: String
    }

    struct LoginResponse: ResponseEncodable {
        var token: String
        var expiresAt: Date
        var sitting: String
        var candidate: ServerMessage.CandidateInfo
    }

    struct ConnectResponse: ResponseEncodable {
        var wsTicket: String
        var expiresInSeconds: Int
        var path: String
    }

    struct PapersRequest: Decodable { var papers: [String] }
    struct PapersResponse: ResponseEncodable { var sitting: String, papers: [String] }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("sit/login") { request, context in try await login(request, context) }
        api.post("sit/{id}/connect") { request, context in
            let identity = try context.requireIdentity()
            let sitting = try context.parameters.require("id")
            guard try await store.sittings.tickets(candidate: identity.account.id).contains(where: { $0.sittingID == sitting }) else {
                throw ExamError(.notFound, code: "not_your_sitting", message: "你没有该场次的准考证 (no admission ticket for this sitting)")
            }
            let ticket = runtime.tickets.issue(.init(
                account: identity.account.id, sessionHash: identity.tokenHash, sitting: sitting,
                expires: runtime.clock.now().addingTimeInterval(WebSocketTickets.lifetime),
                client: ClientInfo(address: context.clientAddress, device: request.headers[.userAgent].map { String($0.prefix(300)) })
            ))
            return EditedResponse(
                headers: [.cacheControl: "no-store"],
                response: ConnectResponse(wsTicket: ticket, expiresInSeconds: Int(WebSocketTickets.lifetime), path: "/api/v1/sit/ws")
            )
        }
        api.post("sittings/{id}/papers") { request, context in
            let body = try await request.decodeJSON(as: PapersRequest.self, context: context)
            let id = try context.parameters.require("id")
            try await runtime.assignPapers(id, body.papers, actor: try context.requireIdentity().account.id.rawValue)
            return PapersResponse(sitting: id, papers: try await store.delivery.papers(of: id))
        }
    }

    private func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        guard let code = TicketCode.normalised(body.ticket) else {
            throw ExamError.invalid("bad_ticket", "准考证号应为12位字母数字，如 K7Q2-M9XD-3F8W (a ticket code has 12 letters and digits)")
        }
        let attempt = try auth.throttle.begin(username: "ticket:\(code)", address: context.clientAddress)
        let ticket = try await store.sittings.ticket(code: code)
        let identity: CandidateIdentity? = if let ticket { try await store.applications.identity(of: ticket.candidate) } else { nil }
        let typed = body.idNumber.trimmingCharacters(in: .whitespaces).uppercased()
        guard let ticket, let identity, Self.equal(identity.idNumber, typed), let account = try await store.accounts.account(id: ticket.candidate), !account.disabled else {
            auth.throttle.finish(attempt, succeeded: false)
            try await store.audit.append(AuditEvent(
                actor: ticket?.candidate.rawValue ?? "anonymous", action: "sit.login_failed", subject: ticket.map { "sitting:\($0.sittingID)" } ?? "sitting:unknown",
                payload: ["address": context.clientAddress.map(JSONValue.string) ?? .null]
            ))
            throw ExamError(.unauthenticated, code: "wrong_ticket", message: "准考证号或证件号码不正确 (the ticket code or ID number is wrong)")
        }
        auth.throttle.finish(attempt, succeeded: true)
        guard let sitting = try await store.sittings.sitting(id: ticket.sittingID) else {
            throw ExamError(.notFound, code: "not_found", message: "no sitting \(ticket.sittingID)")
        }
        let over = sitting.startsAt.addingTimeInterval(TimeInterval(sitting.durationMinutes * 60 + 2 * 3600))
        guard runtime.clock.now() < over else {
            throw ExamError(.conflict, code: "sitting_over", message: "该场次考试已结束 (the sitting is over)")
        }
        let login = try await auth.openSession(for: account, address: context.clientAddress, action: "sit.login", payload: ["sitting": .string(sitting.id)])
        let payload = LoginResponse(
            token: login.token.secret, expiresAt: login.session.expiresAt, sitting: sitting.id,
            candidate: .init(name: identity.name, room: ticket.room, seat: ticket.seat)
        )
        var response = try payload.response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        response.setCookie(SessionCookie.set(login.token.secret, maxAge: Int(auth.lifetime.absolute), secure: secureCookies))
        return response
    }

    /// Compares without stopping at the first difference.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The request context of the WebSocket router.
struct SitWebSocketContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<Self>

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
    }
}

/// The sitting WebSocket (docs/PROTOCOL.md §2).
enum SitWebSocket {
    /// A frame holds one message: an answer of 20,000 characters (up to 60,000 bytes of UTF-8) fits.
    static let maxMessage = 64 * 1024

    static func router(runtime: DeliveryRuntime, allowedOrigins: Set<String>) -> Router<SitWebSocketContext> {
        let router = Router(context: SitWebSocketContext.self)
        router.ws("api/v1/sit/ws") { request, _ in
            // A refused upgrade is answered 400 by the upgrade handler, with no WebSocket.
            guard originAllowed(request, allowedOrigins),
                let ticket = request.uri.queryParameters["ticket"].map(String.init), runtime.tickets.isValid(ticket, now: runtime.clock.now())
            else { return .dontUpgrade }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let ticket = context.request.uri.queryParameters["ticket"].map(String.init) ?? ""
            guard let grant = runtime.tickets.redeem(ticket, now: runtime.clock.now()) else {
                try await outbound.close(.policyViolation, reason: "ticket already used")
                return
            }
            let live: LiveSitting
            do {
                live = try await runtime.sitting(grant.sitting)
            } catch {
                try await outbound.close(.unexpectedServerError, reason: "sitting unavailable")
                return
            }
            let candidate = grant.account.rawValue
            let (stream, sink) = AsyncStream<Outbound>.makeStream()
            let connection: UUID
            let sealed = context.request.uri.queryParameters["sealed"].map(String.init) != "0"
            switch await live.connect(candidate: candidate, sessionHash: grant.sessionHash, sealed: sealed, client: grant.client, sink: sink) {
            case .refused(let code, let reason):
                try await outbound.close(.init(codeNumber: Int(code)), reason: reason)
                return
            case .accepted(let id):
                connection = id
            }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await item in stream {
                        switch item {
                        case .message(let message):
                            do { try await outbound.write(.text(message.json())) } catch { return }
                        case .text(let text):
                            do { try await outbound.write(.text(text)) } catch { return }
                        case .close(let code, let reason):
                            try? await outbound.close(.init(codeNumber: Int(code)), reason: reason)
                            return
                        }
                    }
                }
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: maxMessage) {
                            switch message {
                            case .text(let text): await live.receive(candidate: candidate, connection: connection, text: text)
                            case .binary: await live.receive(candidate: candidate, connection: connection, text: "binary")
                            }
                        }
                    } catch {
                        context.logger.debug("sitting socket ended", metadata: ["error": "\(error)"])
                    }
                    sink.finish()
                }
                await group.next()
                group.cancelAll()
            }
            await live.disconnect(candidate: candidate, id: connection)
        }
        return router
    }

    /// Browsers always send Origin on a WebSocket upgrade: it must be this server (the Host the
    /// request came to) or a configured origin. Clients that send none are not browsers.
    static func originAllowed(_ request: Request, _ allowed: Set<String>) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        if allowed.contains(origin) { return true }
        guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority == host
    }
}
