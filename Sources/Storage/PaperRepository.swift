import Audit
import ExamCore
import Foundation
import ItemBank

/// Where an assembly is in its life: assembled (forms frozen, versions pinned) → sealed (each
/// paper's package encrypted) → released (a sitting opened a paper); or discarded before release.
public enum PaperStatus: String, Sendable, Codable, CaseIterable {
    case assembled, sealed, released, discarded
}

/// One assembly request's record: what was asked, the report, and its status.
public struct PaperAssemblyRecord: Sendable, Equatable, Codable {
    public var id: String
    public var occupation: OccupationCode
    public var level: Level
    public var direction: Direction
    public var part: ExamPart
    public var forms: Int
    public var seed: UInt64
    public var moves: Int
    public var blueprintSHA256: String
    /// The conformance report as JSON.
    public var report: String
    public var status: PaperStatus
    public var createdBy: String
    public var createdAt: Date

    public init(
        id: String, occupation: OccupationCode, level: Level, direction: Direction, part: ExamPart, forms: Int, seed: UInt64, moves: Int,
        blueprintSHA256: String, report: String, status: PaperStatus, createdBy: String, createdAt: Date
    ) {
        self.id = id
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.part = part
        self.forms = forms
        self.seed = seed
        self.moves = moves
        self.blueprintSHA256 = blueprintSHA256
        self.report = report
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// One item version on a paper, at the points it carries there.
public struct PaperItemRef: Sendable, Equatable, Codable {
    public var itemID: ItemID
    public var version: Int
    public var points: Double

    public init(itemID: ItemID, version: Int, points: Double) {
        self.itemID = itemID
        self.version = version
        self.points = points
    }
}

/// One form of an assembly.
public struct PaperRecord: Sendable, Equatable {
    public var id: String
    public var assemblyID: String
    public var form: Int
    public var totalPoints: Double
    public var difficultyMean: Double
    public var items: [PaperItemRef]
    public var sealed: SealedItemVersion?
    public var sealedAt: Date?
    public var releasedAt: Date?

    public init(
        id: String, assemblyID: String, form: Int, totalPoints: Double, difficultyMean: Double, items: [PaperItemRef],
        sealed: SealedItemVersion? = nil, sealedAt: Date? = nil, releasedAt: Date? = nil
    ) {
        self.id = id
        self.assemblyID = assemblyID
        self.form = form
        self.totalPoints = totalPoints
        self.difficultyMean = difficultyMean
        self.items = items
        self.sealed = sealed
        self.sealedAt = sealedAt
        self.releasedAt = releasedAt
    }
}

/// Assemblies and their papers.
public protocol PaperRepository: Sendable {
    /// Stores an assembly and its papers, adding one exposure to every item used per paper, all or
    /// nothing; with `replacing`, discards that assembly in the same transaction.
    /// - Throws: `item_changed` when an item is no longer usable at the pinned version;
    ///   `already_released` when `replacing` was released; `not_found`.
    func create(_ assembly: PaperAssemblyRecord, papers: [PaperRecord], replacing: String?, audit: AuditEvent) async throws
    /// Newest first.
    func assemblies() async throws -> [PaperAssemblyRecord]
    func assembly(id: String) async throws -> PaperAssemblyRecord?
    func papers(of assemblyID: String) async throws -> [PaperRecord]
    func paper(id: String) async throws -> PaperRecord?
    /// Stores every paper's sealed package and moves the assembly from assembled to sealed.
    /// - Throws: `wrong_status`, `conflict` when a paper is missing from `sealed`.
    func seal(_ assemblyID: String, sealed: [String: SealedItemVersion], audit: AuditEvent) async throws
    /// Records that a sitting opened a sealed paper; the assembly becomes released.
    func release(_ paperID: String, audit: AuditEvent) async throws
    /// Discards an assembly that was not released, giving its items their exposure back.
    /// - Throws: `already_released`, `wrong_status` (already discarded), `not_found`.
    func discard(_ assemblyID: String, audit: AuditEvent) async throws
    /// Every sealed paper's package, for key rotation.
    func sealedPapers() async throws -> [(id: String, sealed: SealedItemVersion)]
}
