import Audit
import ExamCore
import Foundation
import ItemBank

/// A new item version to store: classification in clear, content sealed.
public struct NewItemVersion: Sendable {
    public var metadata: ItemMetadata
    public var sealed: SealedItemVersion
    public var status: ItemStatus
    /// Who wrote or imported it (account ID or `cli:<user>`).
    public var author: String

    public init(metadata: ItemMetadata, sealed: SealedItemVersion, status: ItemStatus, author: String) {
        self.metadata = metadata
        self.sealed = sealed
        self.status = status
        self.author = author
    }
}

/// An item as listed: everything but its content.
public struct ItemSummary: Sendable, Equatable {
    public var metadata: ItemMetadata
    public var status: ItemStatus
    /// The latest version (the one being written or reviewed).
    public var version: Int
    /// The approved version papers use; nil until a version is first approved. While a revision of
    /// an active item is a draft or in review, this stays at the version approved before.
    public var activeVersion: Int?
    public var author: String
    public var exposureCount: Int
}

/// A stored version with its sealed content.
public struct StoredItemVersion: Sendable, Equatable {
    public var summary: ItemSummary
    public var version: Int
    public var sealed: SealedItemVersion
}

/// A reviewer's decision on an item version.
public struct ItemReview: Sendable, Equatable, Codable {
    public var version: Int
    public var reviewer: String
    public var approved: Bool
    public var comment: String
    public var decidedAt: Date

    public init(version: Int, reviewer: String, approved: Bool, comment: String, decidedAt: Date) {
        self.version = version
        self.reviewer = reviewer
        self.approved = approved
        self.comment = comment
        self.decidedAt = decidedAt
    }
}

/// What to list.
public struct ItemFilter: Sendable {
    public var occupation: OccupationCode?
    public var level: Level?
    public var status: ItemStatus?
    public var point: String?
    /// Only items papers may use (an approved version and not retired), described by that version.
    public var usable: Bool
    public var limit: Int

    public init(
        occupation: OccupationCode? = nil, level: Level? = nil, status: ItemStatus? = nil, point: String? = nil, usable: Bool = false,
        limit: Int = 100_000
    ) {
        self.usable = usable
        self.occupation = occupation
        self.level = level
        self.status = status
        self.point = point
        self.limit = limit
    }
}

/// The item bank's storage: the key record and the sealed item versions.
public protocol ItemRepository: Sendable {
    func bankKey() async throws -> BankKeyRecord?
    /// - Throws: `already_initialised` if the bank has a key.
    func createBankKey(_ record: BankKeyRecord, audit: AuditEvent) async throws
    /// Stores items as version 1, all or none.
    /// - Throws: `duplicate_item` naming every ID that already exists; nothing is stored then.
    func importItems(_ items: [NewItemVersion], audit: AuditEvent) async throws
    func items(_ filter: ItemFilter) async throws -> [ItemSummary]
    /// The current version when `version` is nil.
    func version(of id: ItemID, version: Int?) async throws -> StoredItemVersion?
    func count() async throws -> Int
    /// Moves an item from one status to another (checked against the current status in the same
    /// transaction), recording a review decision when one is given. Moving to `active` makes the
    /// latest version the active one.
    /// - Throws: `wrong_status` when the item is not in `from` any more; `not_found`.
    func setStatus(_ id: ItemID, from: ItemStatus, to: ItemStatus, review: ItemReview?, audit: AuditEvent) async throws
    /// Adds a new version (the next number), makes it current and puts the item back to draft; an
    /// approved version stays active until the new one is approved.
    /// - Throws: `wrong_status` unless the item is a draft or active; `not_found`.
    func addVersion(_ item: NewItemVersion, audit: AuditEvent) async throws -> Int
    func reviews(of id: ItemID) async throws -> [ItemReview]
    /// Every stored version's sealed form, for key rotation.
    func sealedVersions() async throws -> [(id: ItemID, version: Int, sealed: SealedItemVersion)]
    /// Replaces the key record and every re-wrapped data key in one transaction.
    /// - Throws: `conflict` if the record changed meanwhile or a version is missing from `rewrapped`.
    /// Sealed paper packages (`papers`) are re-wrapped in the same transaction.
    func rotateBankKey(
        from old: BankKeyRecord, to new: BankKeyRecord, rewrapped: [(id: ItemID, version: Int, sealed: SealedItemVersion)],
        papers: [(id: String, sealed: SealedItemVersion)], audit: AuditEvent
    ) async throws
}
