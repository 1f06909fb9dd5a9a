import Accounts
import Audit
import ExamCore
import Foundation
import ItemBank
import Storage

extension BankService {
    /// Items one authoring request may carry. Sealing costs an HPKE wrap (~0.3 ms) per item on the
    /// request's thread; bulk loads go through `assay bank import`.
    public static let maxItemsPerRequest = 100

    /// Creates draft items written by `author` from a native-format document (YAML or JSON).
    public func createDrafts(document: String, author: Account) async throws -> [ItemID] {
        let drafts: [ItemDraft]
        switch NativeItemFormat.parse(document, file: "request", standards: standards) {
        case .success(let items) where items.count > Self.maxItemsPerRequest:
            throw ExamError.invalid(
                "too_many_items", "one request creates at most \(Self.maxItemsPerRequest) items; use `assay bank import` for bulk loads"
            )
        case .success(let items): drafts = items
        case .failure(let failure):
            throw ExamError.invalid("invalid_items", Self.describe(failure))
        }
        try Self.requireOccupations(of: drafts.map(\.metadata), for: author)
        _ = try await importDrafts(drafts, status: .draft, actor: author.id.rawValue, source: "authoring")
        return drafts.map(\.metadata.id)
    }

    /// Authors write items of their own occupations only; the bank administrator may write any.
    static func requireOccupations(of items: [ItemMetadata], for author: Account) throws {
        guard !author.has(.bankCustodian) else { return }
        let outside = Set(items.map(\.occupation)).subtracting(author.occupations).map(\.rawValue).sorted()
        guard outside.isEmpty else {
            throw ExamError(
                .forbidden, code: "outside_occupation",
                message: "you write items of \(author.occupations.isEmpty ? "no occupation yet (ask the body administrator)" : author.occupations.map(\.rawValue).joined(separator: ", ")); not \(outside.joined(separator: ", "))"
            )
        }
    }

    /// Adds a new version of a draft or an active item (immutable versions: the old one stays). A
    /// revision of an active item is a draft until approved; the approved version stays in use.
    public func revise(_ id: ItemID, document: String, author: Account) async throws -> Int {
        guard let current = try await store.items.version(of: id, version: nil) else {
            throw ExamError(.notFound, code: "not_found", message: "no such item")
        }
        guard current.summary.author == author.id.rawValue else {
            throw ExamError(.forbidden, code: "forbidden", message: "only the item's author revises it")
        }
        guard current.summary.status == .draft || current.summary.status == .active else {
            throw ExamError(
                .conflict, code: "wrong_status", message: "only drafts and active items are revised (this item is \(current.summary.status.rawValue))"
            )
        }
        let drafts: [ItemDraft]
        switch NativeItemFormat.parse(document, file: "request", standards: standards) {
        case .success(let items) where items.count == 1 && items[0].metadata.id == id: drafts = items
        case .success: throw ExamError.invalid("invalid_items", "send exactly one item, with the id \(id)")
        case .failure(let failure): throw ExamError.invalid("invalid_items", Self.describe(failure))
        }
        guard drafts[0].metadata.occupation == current.summary.metadata.occupation, drafts[0].metadata.type == current.summary.metadata.type else {
            throw ExamError.invalid("invalid_items", "a revision keeps the item's occupation and type; write a new item instead")
        }
        guard let record = try await store.items.bankKey() else {
            throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet")
        }
        let version = current.summary.version + 1
        let sealed = try ItemEnvelope.seal(drafts[0].content, id: id, version: version, to: try record.sealingKey())
        return try await store.items.addVersion(
            NewItemVersion(metadata: drafts[0].metadata, sealed: sealed, status: .draft, author: author.id.rawValue),
            audit: AuditEvent(actor: author.id.rawValue, action: "item.revised", subject: "item:\(id)@\(version)")
        )
    }

    /// Every issue of a refused document as `line N: item ID: message`, joined by "; ".
    static func describe(_ failure: ItemImportFailure) -> String {
        failure.issues.map { issue in
            [issue.line.map { "line \($0)" }, issue.itemID.map { "item \($0)" }, issue.message].compactMap { $0 }.joined(separator: ": ")
        }.joined(separator: "; ")
    }

    /// Applies a workflow action, recording review decisions and auditing every change.
    public func apply(_ action: ItemWorkflow.Action, to id: ItemID, by account: Account, at time: Date) async throws -> ItemStatus {
        guard let current = try await store.items.version(of: id, version: nil) else {
            throw ExamError(.notFound, code: "not_found", message: "no such item")
        }
        let (from, to) = try ItemWorkflow.transition(
            action, status: current.summary.status, author: current.summary.author, actor: account.id.rawValue, roles: account.roles,
            occupation: current.summary.metadata.occupation, actorOccupations: Set(account.occupations),
            hasActiveVersion: current.summary.activeVersion != nil
        )
        var review: ItemReview?
        var payload: JSONValue = ["from": .string(from.rawValue), "to": .string(to.rawValue)]
        if case .review(let approve, let comment) = action {
            review = ItemReview(version: current.version, reviewer: account.id.rawValue, approved: approve, comment: comment, decidedAt: time)
            payload = ["from": .string(from.rawValue), "to": .string(to.rawValue), "decision": .string(approve ? "approve" : "reject")]
        }
        let verb = switch action {
        case .submit: "item.submitted"
        case .review(let approve, _): approve ? "item.approved" : "item.rejected"
        case .retire: "item.retired"
        }
        try await store.items.setStatus(
            id, from: from, to: to, review: review,
            audit: AuditEvent(actor: account.id.rawValue, action: verb, subject: "item:\(id)@\(current.version)", payload: payload)
        )
        return to
    }
}
