import Accounts
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import ItemBank
import NIOCore
import Storage

/// Authoring and review: create drafts, revise them, submit, review, retire.
struct ItemWorkflowRoutes {
    let bank: BankService
    let clock: any WallClock

    struct Created: ResponseEncodable { var created: [String] }
    struct Revised: ResponseEncodable { var version: Int }
    struct StatusChange: ResponseEncodable { var id: String; var status: String }
    struct ReviewRequest: Decodable { var decision: String; var comment: String? }
    struct Reviews: ResponseEncodable { var reviews: [ItemReview] }

    /// Item documents may carry long practical tasks: up to 1 MiB.
    static let documentLimit = 1024 * 1024

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("items") { request, context in
            let created = try await bank.createDrafts(document: try await Self.document(request), author: try context.requireIdentity().account)
            return EditedResponse(status: .created, response: Created(created: created.map(\.rawValue)))
        }
        api.post("items/{id}/versions") { request, context in
            let id = ItemID(rawValue: try context.parameters.require("id"))
            return Revised(version: try await bank.revise(id, document: try await Self.document(request), author: try context.requireIdentity().account))
        }
        api.post("items/{id}/submit") { _, context in try await change(.submit, context) }
        api.post("items/{id}/retire") { _, context in try await change(.retire, context) }
        api.post("items/{id}/review") { request, context in
            let body = try await request.decodeJSON(as: ReviewRequest.self, context: context)
            guard ["approve", "reject"].contains(body.decision) else {
                throw ExamError.invalid("bad_decision", "decision must be approve or reject")
            }
            return try await change(.review(approve: body.decision == "approve", comment: body.comment ?? ""), context)
        }
        api.get("items/{id}/reviews") { _, context in
            Reviews(reviews: try await bank.store.items.reviews(of: ItemID(rawValue: try context.parameters.require("id"))))
        }
    }

    private func change(_ action: ItemWorkflow.Action, _ context: AppRequestContext) async throws -> StatusChange {
        let id = ItemID(rawValue: try context.parameters.require("id"))
        let status = try await bank.apply(action, to: id, by: try context.requireIdentity().account, at: clock.now())
        return StatusChange(id: id.rawValue, status: status.rawValue)
    }

    /// The request body as text: a native item document in JSON (or YAML).
    static func document(_ request: Request) async throws -> String {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || type.hasPrefix("application/yaml") else {
            throw ExamError(.unsupportedMediaType, code: "unsupported_media_type", message: "send the items as application/json or application/yaml")
        }
        do {
            let buffer = try await request.body.collect(upTo: documentLimit)
            return String(buffer: buffer)
        } catch is NIOTooManyBytesError {
            throw ExamError(.tooLarge, code: "payload_too_large", message: "an item document is at most 1 MiB")
        }
    }
}
