import ExamCore
import HTTPTypes

/// Who may call a route.
public enum Access: Sendable, Equatable {
    /// No login needed (health, metrics, login itself).
    case anyone
    /// Any logged-in account, whatever its roles.
    case authenticated
    /// A logged-in account holding at least one of these roles.
    case roles(Set<Role>)

    /// Whether an account with `roles` (nil: anonymous) may call the route.
    public func allows(_ roles: [Role]?) -> Bool {
        switch self {
        case .anyone: true
        case .authenticated: roles != nil
        case .roles(let allowed): roles.map { !allowed.isDisjoint(with: $0) } ?? false
        }
    }
}

/// The declared allow-list: every route of the API and who may call it, in one table.
///
/// Authorization is deny-by-default: ``AuthorizationMiddleware`` refuses any route not listed here,
/// and the access-matrix test fails for any registered route without an entry.
/// Keys are `METHOD /path` with captures written `{name}`, as the router describes them.
public enum AccessPolicy {
    public static let table: [String: Access] = [
        "GET /healthz": .anyone,
        "GET /metrics": .anyone,
        "POST /api/v1/auth/login": .anyone,
        "POST /api/v1/auth/logout": .authenticated,
        "GET /api/v1/me": .authenticated,
        "GET /api/v1/exams": .authenticated,
        "GET /api/v1/exams/{code}": .authenticated,
        "GET /api/v1/users": .roles([.bodyAdmin]),
        "POST /api/v1/users": .roles([.bodyAdmin]),
        "POST /api/v1/users/{id}/occupations": .roles([.bodyAdmin]),
        "POST /api/v1/users/{id}/disable": .roles([.bodyAdmin]),
        "POST /api/v1/users/{id}/enable": .roles([.bodyAdmin]),
        "GET /api/v1/audit/status": .roles([.bodyAdmin, .supervisor]),
        "GET /api/v1/bank/status": .roles([.bodyAdmin, .bankCustodian, .itemAuthor, .examAdmin, .supervisor]),
        "POST /api/v1/bank/unseal": .roles([.bankCustodian]),
        "POST /api/v1/bank/seal": .roles([.bankCustodian, .bodyAdmin]),
        "GET /api/v1/items": .roles([.bodyAdmin, .bankCustodian, .itemAuthor, .examAdmin, .supervisor]),
        // Content is decided per item by ItemAccessPolicy; these roles may ask.
        "GET /api/v1/items/{id}": .roles([.bankCustodian, .itemAuthor]),
        "POST /api/v1/items": .roles([.itemAuthor]),
        "POST /api/v1/items/{id}/versions": .roles([.itemAuthor]),
        "POST /api/v1/items/{id}/submit": .roles([.itemAuthor]),
        "POST /api/v1/items/{id}/review": .roles([.itemAuthor, .bankCustodian]),
        "POST /api/v1/items/{id}/retire": .roles([.bankCustodian]),
        "GET /api/v1/items/{id}/reviews": .roles([.itemAuthor, .bankCustodian, .supervisor]),
        "POST /api/v1/papers/preview": .roles([.examAdmin]),
        "POST /api/v1/papers": .roles([.examAdmin]),
        "GET /api/v1/papers": .roles([.examAdmin, .supervisor, .bodyAdmin, .bankCustodian]),
        "GET /api/v1/papers/{id}": .roles([.examAdmin, .supervisor, .bodyAdmin, .bankCustodian]),
        // Sealing decrypts the pinned items into packages inside the server; no person sees content.
        "POST /api/v1/papers/{id}/seal": .roles([.examAdmin, .bankCustodian]),
        "POST /api/v1/papers/{id}/discard": .roles([.examAdmin]),
        // Registration is open to anyone; applying is for registered candidates.
        "POST /api/v1/register": .anyone,
        "GET /api/v1/commitment": .anyone,
        "POST /api/v1/applications": .roles([.candidate]),
        "GET /api/v1/applications/mine": .roles([.candidate]),
        "POST /api/v1/applications/{id}/withdraw": .roles([.candidate]),
        "GET /api/v1/applications": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/applications/{id}": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/applications/{id}/decision": .roles([.examAdmin]),
        "POST /api/v1/sittings": .roles([.examAdmin]),
        "GET /api/v1/sittings": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/sittings/{id}/place": .roles([.examAdmin]),
        "POST /api/v1/sittings/{id}/staff": .roles([.examAdmin]),
        "POST /api/v1/sittings/{id}/supervisors": .roles([.examAdmin]),
        "POST /api/v1/sittings/{id}/publish": .roles([.examAdmin]),
        // Staff declare their own relations with candidates (回避).
        "POST /api/v1/relations": .roles([.examiner, .supervisor, .examAdmin]),
        "GET /api/v1/sittings/export": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/roster/export": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/tickets": .roles([.examAdmin]),
        "GET /api/v1/applications/export": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/staff": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/staff/export": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/plans": .roles([.examAdmin]),
        "GET /api/v1/plans": .roles([.examAdmin, .supervisor, .bodyAdmin]),
        "GET /api/v1/plans/export": .roles([.examAdmin, .supervisor, .bodyAdmin]),
        "PUT /api/v1/plans/{id}": .roles([.examAdmin]),
        "DELETE /api/v1/plans/{id}": .roles([.examAdmin]),
        "POST /api/v1/evidence": .roles([.candidate]),
        "GET /api/v1/evidence/mine": .roles([.candidate]),
        "GET /api/v1/evidence/{id}": .roles([.candidate, .examAdmin, .supervisor]),
        "DELETE /api/v1/evidence/{id}": .roles([.candidate]),
        "GET /api/v1/tickets/mine": .roles([.candidate]),
        "POST /api/v1/sit/login": .anyone,
        "POST /api/v1/sit/{id}/connect": .roles([.candidate]),
        "POST /api/v1/sittings/{id}/papers": .roles([.examAdmin]),
        "GET /api/v1/sittings/{id}/live": .roles([.examAdmin, .examiner, .supervisor]),
        "POST /api/v1/sittings/{id}/extend": .roles([.examAdmin, .examiner]),
        "POST /api/v1/sittings/{id}/warn": .roles([.examAdmin, .examiner]),
        // Invigilation: the service also checks that the account is on this sitting's staff
        // (an examiner: their rooms only; a supervisor: read-only and notes).
        "GET /api/v1/proctor/sittings": .roles([.examAdmin, .examiner, .supervisor]),
        "GET /api/v1/sittings/{id}/proctor": .roles([.examAdmin, .examiner, .supervisor]),
        "GET /api/v1/sittings/{id}/events": .roles([.examAdmin, .examiner, .supervisor]),
        "POST /api/v1/sittings/{id}/pause": .roles([.examAdmin, .examiner]),
        "POST /api/v1/sittings/{id}/resume": .roles([.examAdmin, .examiner]),
        "POST /api/v1/sittings/{id}/admit": .roles([.examAdmin, .examiner]),
        "POST /api/v1/sittings/{id}/misconduct": .roles([.examAdmin, .examiner]),
        "GET /api/v1/sittings/{id}/misconduct": .roles([.examAdmin, .examiner, .supervisor]),
        "POST /api/v1/sittings/{id}/irregularities": .roles([.examAdmin, .examiner]),
        "GET /api/v1/sittings/{id}/notes": .roles([.examAdmin, .examiner, .supervisor]),
        "POST /api/v1/sittings/{id}/notes": .roles([.supervisor]),
        "GET /api/v1/sittings/{id}/coverage": .roles([.examAdmin, .examiner, .supervisor]),
        "GET /api/v1/sittings/{id}/coverage/export": .roles([.examAdmin, .examiner, .supervisor]),
        "GET /api/v1/sittings/{id}/snapshots": .roles([.examAdmin, .examiner, .supervisor]),
        "GET /api/v1/sittings/{id}/snapshots/{snapshot}": .roles([.examAdmin, .examiner, .supervisor]),
        "POST /api/v1/items/{id}/key-corrections": .roles([.examAdmin, .bankCustodian]),
        "GET /api/v1/sittings/{id}/scores": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/scores/export": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/scores/{candidate}": .roles([.examAdmin, .supervisor]),
        // Marking: the service also checks that the submission is assigned to the examiner.
        "GET /api/v1/marking/queue": .roles([.examiner]),
        "GET /api/v1/marking/{code}": .roles([.examiner]),
        "PUT /api/v1/marking/{code}/sheet": .roles([.examiner]),
        "POST /api/v1/marking/{code}/sign": .roles([.examiner]),
        "GET /api/v1/marking/{code}/files/{file}": .roles([.examiner]),
        "GET /api/v1/sittings/{id}/marking": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/statistics": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/sittings/{id}/statistics/export": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/batches": .roles([.examAdmin]),
        "GET /api/v1/batches": .roles([.examAdmin, .supervisor, .bodyAdmin]),
        "GET /api/v1/batches/{id}/results": .roles([.examAdmin, .supervisor]),
        "GET /api/v1/batches/{id}/results/export": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/batches/{id}/publish": .roles([.examAdmin]),
        "GET /api/v1/batches/{id}/certification": .roles([.examAdmin, .supervisor, .bodyAdmin]),
        "GET /api/v1/batches/{id}/rechecks": .roles([.examAdmin, .supervisor]),
        "POST /api/v1/rechecks/{id}/decision": .roles([.examAdmin]),
        "GET /api/v1/results/mine": .roles([.candidate]),
        "POST /api/v1/results/mine/{batch}/rechecks": .roles([.candidate]),
        "POST /api/v1/sit/{id}/snapshot": .roles([.candidate]),
        "POST /api/v1/sit/{id}/files": .roles([.candidate]),
        "GET /api/v1/sit/{id}/files": .roles([.candidate]),
        "GET /api/v1/sit/{id}/files/{file}": .roles([.candidate]),
    ]

    /// The policy of a route, or nil when it has none (and is therefore refused to everybody).
    public static func access(method: HTTPRequest.Method, path: String) -> Access? {
        table["\(method.rawValue) \(path)"]
    }
}
