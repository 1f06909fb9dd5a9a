import Accounts
import Audit
import Delivery
import ExamCore
import Foundation

/// One durable change of a live sitting. A batch of them is written in one transaction (group
/// commit); the live sitting acknowledges each only after its batch is on disk.
public enum DeliveryChange: Sendable, Equatable {
    case answer(sitting: String, candidate: String, key: String, itemID: String, seq: Int, answer: Answer?, at: Date)
    case flag(sitting: String, candidate: String, key: String, flagged: Bool, seq: Int)
    /// A seq that changed no answer (an event, a duplicate), so a reconnecting client learns it is covered.
    case seen(sitting: String, candidate: String, seq: Int)
    case connected(sitting: String, candidate: String, at: Date)
    case event(sitting: String, candidate: String?, seq: Int?, kind: String, detail: String?, source: String, actor: String?, at: Date)
    case handIn(sitting: String, candidate: String, at: Date, reason: Attempt.HandInReason, receipt: Receipt)
}

/// A hand-in's objective score as stored (the item list and rules as JSON, encoded by the scorer).
public struct StoredScore: Sendable, Equatable {
    public var sitting: String
    public var candidate: String
    public var paperID: String
    public var objective: Double
    public var objectiveMaximum: Double
    public var maximum: Double
    public var pending: Int
    public var items: String
    public var rules: String
    public var scoredAt: Date

    public init(
        sitting: String, candidate: String, paperID: String, objective: Double, objectiveMaximum: Double, maximum: Double, pending: Int,
        items: String, rules: String, scoredAt: Date
    ) {
        self.sitting = sitting
        self.candidate = candidate
        self.paperID = paperID
        self.objective = objective
        self.objectiveMaximum = objectiveMaximum
        self.maximum = maximum
        self.pending = pending
        self.items = items
        self.rules = rules
        self.scoredAt = scoredAt
    }
}

/// What a sitting's attempts hold, as stored: for recovery after a restart and for the record.
public struct StoredAttempt: Sendable, Equatable {
    public var candidate: String
    public var paperID: String
    public var attempt: Attempt
    public var firstConnectedAt: Date?
}

public protocol DeliveryRepository: Sendable {
    /// The papers (forms) a sitting delivers, in order; candidates get them round-robin by seat.
    func assignPapers(_ sitting: String, papers: [String], audit: AuditEvent) async throws
    func papers(of sitting: String) async throws -> [String]

    func storeReleased(paperID: String, sitting: String, wrappedKey: Data, box: Data, at: Date) async throws
    func released(paperID: String) async throws -> (wrappedKey: Data, box: Data)?

    /// Appends a ledger entry (and its audit entry) at the next position.
    func appendLedger(_ sitting: String, _ entry: TimeLedger.Entry, actor: String, at: Date, audit: AuditEvent?) async throws
    func ledger(_ sitting: String) async throws -> [TimeLedger.Entry]

    /// Records the start: the ledger's `started`, one attempt per candidate with their paper, and
    /// the audit entry, together.
    /// Writes each candidate's attempt as waiting, with their paper, ahead of the start (replacing
    /// earlier waiting rows), so the start itself writes little.
    func prepareAttempts(_ sitting: String, attempts: [(candidate: String, paperID: String)]) async throws
    func start(_ sitting: String, at: Date, attempts: [(candidate: String, paperID: String)], actor: String, audit: AuditEvent) async throws
    func attempts(_ sitting: String) async throws -> [StoredAttempt]
    /// One candidate's attempt with its answers.
    func attempt(_ sitting: String, candidate: String) async throws -> StoredAttempt?
    /// The candidates who ever connected to the sitting (the others are absent).
    func present(_ sitting: String) async throws -> Set<String>
    /// Every attempt's state without its answers: handed in, and whether the candidate ever connected.
    func states(_ sitting: String) async throws -> [String: (handedIn: Bool, present: Bool)]

    /// Writes a batch in one transaction.
    func apply(_ changes: [DeliveryChange]) async throws
    func events(_ sitting: String, candidate: String?) async throws -> [(kind: String, detail: String?, source: String, at: Date)]

    /// Writes scores (replacing earlier ones of the same attempts) in one transaction.
    func storeScores(_ scores: [StoredScore]) async throws
    func scores(_ sitting: String) async throws -> [StoredScore]
    func score(_ sitting: String, candidate: String) async throws -> StoredScore?
    /// Handed-in attempts of a sitting that have no score yet.
    func unscored(_ sitting: String) async throws -> [String]
    /// Records a corrected key (JSON of the key) with its audit entry.
    func recordKeyCorrection(item: String, version: Int, answer: String, reason: String, actor: String, at: Date, audit: AuditEvent) async throws
    /// The latest corrected key of every corrected item version: "id@version" → key JSON.
    func keyCorrections() async throws -> [String: String]
    /// Sittings with a stored score that includes this item version.
    func scoredSittings(item: String, version: Int) async throws -> [String]

    /// Sittings started and not yet over (an attempt still open).
    func liveSittings() async throws -> [String]

    func beat(node: String, at: Date) async throws
    func lastBeat(node: String) async throws -> Date?
}
