import Accounts
import Audit
import ExamCore
import Foundation
import Hummingbird
import Storage

struct UserRoutes {
    let accounts: AccountService

    struct UserList: ResponseEncodable {
        var users: [AccountView]
    }

    struct OccupationsRequest: Decodable {
        var occupations: [String]
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.get("users") { _, _ in
            UserList(users: try await accounts.store.accounts.list().map(AccountView.init))
        }
        api.post("users") { request, context in
            let body = try await request.decodeJSON(as: AccountService.NewAccount.self, context: context)
            let account = try await accounts.create(body, actor: try context.requireIdentity().account.id.rawValue)
            return EditedResponse(status: .created, response: AccountView(account))
        }
        api.post("users/{id}/occupations") { request, context in
            let body = try await request.decodeJSON(as: OccupationsRequest.self, context: context)
            let id = AccountID(rawValue: try context.parameters.require("id"))
            return AccountView(try await accounts.setOccupations(id, occupations: body.occupations, actor: try context.requireIdentity().account.id.rawValue))
        }
        api.post("users/{id}/disable") { _, context in try await setDisabled(true, context) }
        api.post("users/{id}/enable") { _, context in try await setDisabled(false, context) }
    }

    private func setDisabled(_ disabled: Bool, _ context: AppRequestContext) async throws -> AccountView {
        let id = AccountID(rawValue: try context.parameters.require("id"))
        let actor = try context.requireIdentity().account
        if disabled && actor.id == id {
            throw ExamError(.conflict, code: "cannot_disable_self", message: "you cannot disable your own account")
        }
        return AccountView(try await accounts.setDisabled(id, disabled: disabled, actor: actor.id.rawValue))
    }
}

/// Verifies the audit chain for the status page at most once per `maxAge`, so that page loads do
/// not each recompute years of record (a full pass runs at roughly 80,000 entries a second).
actor AuditStatusCache {
    private let store: Store
    private let signingKey: BodySigningKey?
    private let clock: any WallClock
    private let maxAge: TimeInterval
    private var last: (at: Date, verification: AuditVerification, checkpoints: [AuditCheckpoint])?

    init(store: Store, signingKey: BodySigningKey?, clock: any WallClock, maxAge: TimeInterval = 30) {
        self.store = store
        self.signingKey = signingKey
        self.clock = clock
        self.maxAge = maxAge
    }

    func current() async throws -> (verification: AuditVerification, checkpoints: [AuditCheckpoint]) {
        let now = clock.now()
        if let last, now.timeIntervalSince(last.at) < maxAge {
            return (last.verification, last.checkpoints)
        }
        let verification = try await store.audit.verifyChain(publicKey: signingKey?.publicKey)
        let checkpoints = try await store.audit.checkpoints()
        last = (now, verification, checkpoints)
        return (verification, checkpoints)
    }
}

struct AuditRoutes {
    let cache: AuditStatusCache

    struct Status: ResponseEncodable {
        var entries: Int64
        var checkpoints: Int
        var lastCheckpointAt: Date?
        var ok: Bool
        var problem: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.group("api/v1").get("audit/status") { _, _ in
            let (verification, checkpoints) = try await cache.current()
            return Status(
                entries: verification.entriesChecked, checkpoints: checkpoints.count,
                lastCheckpointAt: checkpoints.last?.time, ok: verification.isIntact,
                problem: verification.problem?.description
            )
        }
    }
}
