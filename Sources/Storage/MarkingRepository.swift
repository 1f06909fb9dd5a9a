import Audit
import ExamCore
import Foundation

/// A hand-in examiners mark, known to them by its marking code only.
public struct SubmissionRecord: Sendable, Equatable {
    public var code: String
    public var sitting: String
    public var candidate: String
    public var room: String
    /// The items to mark with their scoring tables (JSON).
    public var items: String
    public var worth: Double
    /// `unassigned`, `marking`, `adjudication` or `final`.
    public var status: String
    public var reason: String?
    public var marked: Double?
    public var adjudicated: Bool
    public var createdAt: Date
    public var decidedAt: Date?

    public init(
        code: String, sitting: String, candidate: String, room: String, items: String, worth: Double, status: String, reason: String?,
        marked: Double? = nil, adjudicated: Bool = false, createdAt: Date, decidedAt: Date? = nil
    ) {
        self.code = code
        self.sitting = sitting
        self.candidate = candidate
        self.room = room
        self.items = items
        self.worth = worth
        self.status = status
        self.reason = reason
        self.marked = marked
        self.adjudicated = adjudicated
        self.createdAt = createdAt
        self.decidedAt = decidedAt
    }
}

/// One examiner's sheet on a submission (`first`, `second` or `third`).
public struct SheetRecord: Sendable, Equatable {
    public var code: String
    public var role: String
    public var examiner: String
    /// The marks and comments (JSON).
    public var sheet: String
    public var total: Double
    public var assignedAt: Date
    public var savedAt: Date?
    public var signedAt: Date?

    public init(code: String, role: String, examiner: String, sheet: String, total: Double, assignedAt: Date, savedAt: Date? = nil, signedAt: Date? = nil) {
        self.code = code
        self.role = role
        self.examiner = examiner
        self.sheet = sheet
        self.total = total
        self.assignedAt = assignedAt
        self.savedAt = savedAt
        self.signedAt = signedAt
    }
}

/// What a signature changes on the submission, decided from its sheets inside the signing transaction.
public struct MarkingUpdate: Sendable {
    public var status: String
    public var reason: String?
    public var marked: Double?
    public var adjudicated: Bool
    /// The third marker's (empty) sheet, when adjudication starts.
    public var third: SheetRecord?
    public var audit: AuditEvent?

    public init(status: String, reason: String?, marked: Double?, adjudicated: Bool, third: SheetRecord?, audit: AuditEvent?) {
        self.status = status
        self.reason = reason
        self.marked = marked
        self.adjudicated = adjudicated
        self.third = third
        self.audit = audit
    }
}

/// Submissions and examiners' sheets. A signed sheet never changes (the schema refuses it too).
public protocol MarkingRepository: Sendable {
    /// Adds submissions not yet known (by sitting and candidate) with their first sheets; returns how many were new.
    func createSubmissions(_ submissions: [SubmissionRecord], sheets: [SheetRecord], audit: AuditEvent?) async throws -> Int
    /// Gives markers to an unassigned submission; false when another call did it first.
    @discardableResult
    func assign(code: String, sheets: [SheetRecord], audit: AuditEvent) async throws -> Bool
    /// Gives a waiting third mark its marker (adjudication found no one free before); false when another call did it first.
    @discardableResult
    func addThird(_ sheet: SheetRecord, audit: AuditEvent) async throws -> Bool
    /// Hands an unsigned sheet to another examiner; false when it was signed or moved meanwhile.
    @discardableResult
    func reassign(code: String, role: String, from: String, to: String, at: Date, audit: AuditEvent) async throws -> Bool
    /// Unsigned sheets of the sitting held by an examiner now disabled or related to the candidate.
    func conflictedSheets(sitting: String) async throws -> [(code: String, role: String, examiner: String)]
    /// Whether anything is left for ``prepare``: hand-ins with items for examiners and no
    /// submission, unassigned submissions, adjudications without a third marker, conflicted sheets.
    func needsPreparation(sitting: String) async throws -> Bool
    /// How many sheets each examiner holds in the sitting.
    func load(sitting: String) async throws -> [String: Int]
    func submissions(sitting: String) async throws -> [SubmissionRecord]
    func submission(code: String) async throws -> SubmissionRecord?
    func sheets(code: String) async throws -> [SheetRecord]
    func sheets(sitting: String) async throws -> [SheetRecord]
    /// Every sheet of an examiner with its submission.
    func assignments(examiner: String) async throws -> [(submission: SubmissionRecord, sheet: SheetRecord)]
    /// Saves a draft. - Throws: `already_signed`, `not_assigned`.
    func save(code: String, role: String, examiner: String, sheet: String, total: Double, at: Date) async throws
    /// Signs the sheet and applies `decide` to the submission's sheets, in one transaction.
    /// `draftSavedAt`: when signing the stored draft, the save it was read at (nil: never saved);
    /// a save since then refuses the signature (`draft_changed`), so nothing unseen is signed.
    /// - Throws: `already_signed`, `not_assigned`, `draft_changed`.
    func sign(
        code: String, role: String, examiner: String, sheet: String, total: Double, draftSavedAt: Date??, at: Date, audit: AuditEvent,
        decide: @escaping @Sendable ([SheetRecord]) -> MarkingUpdate?
    ) async throws -> SubmissionRecord
}

/// A batch (考试批次): a theory and an ability sitting whose results are published together.
public struct BatchRecord: Sendable, Equatable, Codable {
    public var id: String
    public var occupation: OccupationCode
    public var level: Level
    public var direction: String?
    public var theory: String
    public var ability: String
    public var recheckDays: Int
    public var createdBy: String
    public var createdAt: Date
    public var publishedAt: Date?
    public var publishedBy: String?
    public var recheckUntil: Date?

    public init(
        id: String, occupation: OccupationCode, level: Level, direction: String?, theory: String, ability: String, recheckDays: Int,
        createdBy: String, createdAt: Date, publishedAt: Date? = nil, publishedBy: String? = nil, recheckUntil: Date? = nil
    ) {
        self.id = id
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.theory = theory
        self.ability = ability
        self.recheckDays = recheckDays
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
        self.recheckUntil = recheckUntil
    }
}

/// One revision of a candidate's published result (JSON).
public struct ResultRecord: Sendable, Equatable {
    public var batch: String
    public var candidate: String
    public var revision: Int
    public var result: String
    public var cause: String
    public var recordedBy: String
    public var recordedAt: Date

    public init(batch: String, candidate: String, revision: Int, result: String, cause: String, recordedBy: String, recordedAt: Date) {
        self.batch = batch
        self.candidate = candidate
        self.revision = revision
        self.result = result
        self.cause = cause
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A re-check request (成绩复核) and its decision.
public struct RecheckRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var batch: String
    public var candidate: String
    public var part: ExamPart
    public var scope: String
    public var reason: String
    public var requestedAt: Date
    public var answerBy: Date
    /// `open`, `unchanged` or `corrected`.
    public var status: String
    public var decidedBy: String?
    public var decidedAt: Date?
    public var note: String?
    public var before: Double?
    public var after: Double?

    public init(
        id: Int64 = 0, batch: String, candidate: String, part: ExamPart, scope: String, reason: String, requestedAt: Date, answerBy: Date,
        status: String = "open", decidedBy: String? = nil, decidedAt: Date? = nil, note: String? = nil, before: Double? = nil, after: Double? = nil
    ) {
        self.id = id
        self.batch = batch
        self.candidate = candidate
        self.part = part
        self.scope = scope
        self.reason = reason
        self.requestedAt = requestedAt
        self.answerBy = answerBy
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.note = note
        self.before = before
        self.after = after
    }
}

/// Batches, published results (append-only revisions) and re-checks.
public protocol ResultRepository: Sendable {
    /// - Throws: `batch_conflict` when a sitting is already in a batch.
    func createBatch(_ batch: BatchRecord, audit: AuditEvent) async throws
    func batches() async throws -> [BatchRecord]
    func batch(id: String) async throws -> BatchRecord?
    /// Marks the batch published and writes revision 1 of every result. - Throws: `already_published`.
    func publish(_ batch: String, results: [ResultRecord], at: Date, by: String, recheckUntil: Date, audit: AuditEvent) async throws
    /// The latest revision of every result of a batch.
    func results(batch: String) async throws -> [ResultRecord]
    /// The latest revision of a candidate's results in published batches.
    func results(candidate: String) async throws -> [ResultRecord]
    /// - Throws: `recheck_open` when the part already has an open request.
    func request(_ recheck: RecheckRecord, audit: AuditEvent) async throws -> Int64
    func rechecks(batch: String) async throws -> [RecheckRecord]
    func rechecks(candidate: String) async throws -> [RecheckRecord]
    func recheck(id: Int64) async throws -> RecheckRecord?
    /// Closes an open request. With `revise`, the candidate's latest result as of this transaction
    /// is revised into the next revision (and says the part's score before): two decisions for one
    /// candidate never work from the same old row. `audit` sees the request as decided.
    /// - Throws: `already_decided`, or what `revise` throws (nothing is written then).
    func decide(
        _ recheck: RecheckRecord, revise: (@Sendable (ResultRecord) throws -> (result: ResultRecord, before: Double?))?,
        audit: @escaping @Sendable (RecheckRecord) -> AuditEvent
    ) async throws -> RecheckRecord
}
