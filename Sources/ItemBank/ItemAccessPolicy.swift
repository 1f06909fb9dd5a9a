import ExamCore

/// Who may read an item's content (题目内容). Everyone else sees metadata at most.
///
/// - The bank administrator (题库管理员, `bank_custodian`) may read any item.
/// - An author may read their own drafts and items in review, and — as a reviewer, who must be a
///   different person than the author — other authors' items in review in their occupation.
/// - Nobody else reads content through the bank; candidates see items only inside a sitting.
public enum ItemAccessPolicy {
    public enum Decision: Sendable, Equatable {
        case allowed(reason: String)
        case denied(reason: String)
    }

    public static func decide(
        roles: [Role], accountID: String, author: String, status: ItemStatus, authorOccupations: Set<OccupationCode>? = nil,
        occupation: OccupationCode
    ) -> Decision {
        if roles.contains(.bankCustodian) {
            return .allowed(reason: "bank administrator")
        }
        if roles.contains(.itemAuthor) {
            if author == accountID && (status == .draft || status == .inReview) {
                return .allowed(reason: "author of the item")
            }
            if author != accountID && status == .inReview && (authorOccupations?.contains(occupation) ?? true) {
                return .allowed(reason: "reviewer")
            }
            if author == accountID {
                return .denied(reason: "authors read their own items only while they are drafts or in review")
            }
            return .denied(reason: "only items in review can be read by another author (as reviewer)")
        }
        return .denied(reason: "your roles do not allow reading item content")
    }
}
