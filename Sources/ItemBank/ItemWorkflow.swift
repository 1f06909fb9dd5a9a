import Foundation
import ExamCore

/// The review workflow: draft → in review → active (or back to draft with a reason) → retired.
/// Revising an active item starts a new draft version while the approved version stays in use.
///
/// Pure rules; each returns the transition or throws a reason a person can act on.
public enum ItemWorkflow {
    public enum Action: Sendable, Equatable {
        /// The author sends a draft for review.
        case submit
        /// A reviewer (never the author) approves or rejects with a comment.
        case review(approve: Bool, comment: String)
        /// The bank administrator takes an active item out of use.
        case retire
    }

    /// The status transition `action` makes, if `roles`/`actor` may take it on an item by `author` in `status`.
    /// - Parameters:
    ///   - occupation: the item's occupation; an author reviews only in `actorOccupations`.
    ///   - hasActiveVersion: whether an approved version is in use (a pending revision does not stop retirement).
    public static func transition(
        _ action: Action, status: ItemStatus, author: String, actor: String, roles: [Role],
        occupation: OccupationCode, actorOccupations: Set<OccupationCode>, hasActiveVersion: Bool
    ) throws -> (from: ItemStatus, to: ItemStatus) {
        func refuse(_ message: String) -> ExamError { ExamError(.forbidden, code: "forbidden", message: message) }
        func wrong(_ expected: ItemStatus) -> ExamError {
            ExamError(.conflict, code: "wrong_status", message: "the item is \(status.rawValue), not \(expected.rawValue)")
        }
        switch action {
        case .submit:
            guard actor == author else { throw refuse("only the item's author can submit it for review") }
            guard status == .draft else { throw wrong(.draft) }
            return (.draft, .inReview)
        case .review(let approve, let comment):
            guard roles.contains(.itemAuthor) || roles.contains(.bankCustodian) else { throw refuse("only authors and bank administrators review items") }
            guard actor != author else { throw refuse("an item is reviewed by someone other than its author") }
            guard roles.contains(.bankCustodian) || actorOccupations.contains(occupation) else {
                throw refuse("authors review items of their own occupations only (this item is \(occupation))")
            }
            guard status == .inReview else { throw wrong(.inReview) }
            let trimmed = comment.trimmingCharacters(in: .whitespacesAndNewlines)
            if !approve && trimmed.isEmpty {
                throw ExamError.invalid("comment_required", "a rejection needs a comment telling the author what to change")
            }
            guard trimmed.count <= 2000 else { throw ExamError.invalid("comment_too_long", "a review comment has at most 2,000 characters") }
            return (.inReview, approve ? .active : .draft)
        case .retire:
            guard roles.contains(.bankCustodian) else { throw refuse("only the bank administrator retires items") }
            guard status == .active || (hasActiveVersion && status != .retired) else { throw wrong(.active) }
            return (status, .retired)
        }
    }
}
