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

struct AuditRoutes {
    let store: Store
    let signingKey: BodySigningKey?

    struct Status: ResponseEncodable {
        var entries: Int64
        var checkpoints: Int
        var lastCheckpointAt: Date?
        var ok: Bool
        var problem: String?
    }

    func register(on router: Router<AppRequestContext>) {
        router.group("api/v1").get("audit/status") { _, _ in
            let verification = try await store.audit.verifyChain(publicKey: signingKey?.publicKey)
            let checkpoints = try await store.audit.checkpoints()
            return Status(
                entries: verification.entriesChecked, checkpoints: checkpoints.count,
                lastCheckpointAt: checkpoints.last?.time, ok: verification.isIntact,
                problem: verification.problem?.description
            )
        }
    }
}
