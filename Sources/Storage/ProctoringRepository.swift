import Audit
import ExamCore
import Foundation

/// One proctoring event as stored: from a candidate's browser, the server or staff.
public struct ProctorEventRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var candidate: String?
    public var seq: Int?
    public var kind: String
    public var detail: String?
    public var source: String
    public var actor: String?
    public var at: Date
}

/// A webcam snapshot's facts (the image itself is sealed).
public struct SnapshotInfo: Sendable, Equatable, Codable {
    public var id: Int64
    public var candidate: String
    public var takenAt: Date
    public var bytes: Int

    public init(id: Int64, candidate: String, takenAt: Date, bytes: Int) {
        self.id = id
        self.candidate = candidate
        self.takenAt = takenAt
        self.bytes = bytes
    }
}

/// Something sealed under the personal-data key: the wrapped key and the box.
public struct SealedBlob: Sendable, Equatable {
    public var wrappedKey: Data
    public var box: Data

    public init(wrappedKey: Data, box: Data) {
        self.wrappedKey = wrappedKey
        self.box = box
    }
}

/// A misconduct decision with the evidence it rests on and who decided.
public struct MisconductRecord: Sendable, Equatable, Codable {
    public struct Evidence: Sendable, Equatable, Codable {
        /// Proctoring events (`proctor_event.id`) and snapshots (`proctor_snapshot.id`) relied on.
        public var events: [Int64]
        public var snapshots: [Int64]

        public init(events: [Int64], snapshots: [Int64]) {
            self.events = events
            self.snapshots = snapshots
        }
    }

    public var id: Int64
    public var sitting: String
    public var candidate: String
    public var tier: MisconductTier
    public var points: Int?
    public var banYears: Int?
    public var reason: String
    public var evidence: Evidence
    public var terminated: Bool
    public var decidedBy: String
    public var decidedAt: Date

    public init(
        id: Int64 = 0, sitting: String, candidate: String, tier: MisconductTier, points: Int?, banYears: Int?, reason: String,
        evidence: Evidence, terminated: Bool, decidedBy: String, decidedAt: Date
    ) {
        self.id = id
        self.sitting = sitting
        self.candidate = candidate
        self.tier = tier
        self.points = points
        self.banYears = banYears
        self.reason = reason
        self.evidence = evidence
        self.terminated = terminated
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// A quality supervisor's note on a sitting (督导记录), about the sitting or one candidate.
public struct SupervisionNote: Sendable, Equatable, Codable {
    public var id: Int64
    public var sitting: String
    public var candidate: String?
    public var author: String
    public var text: String
    public var at: Date

    public init(id: Int64 = 0, sitting: String, candidate: String?, author: String, text: String, at: Date) {
        self.id = id
        self.sitting = sitting
        self.candidate = candidate
        self.author = author
        self.text = text
        self.at = at
    }
}

/// A file handed in as (part of) a practical answer; its bytes are sealed.
public struct AnswerFileInfo: Sendable, Equatable, Codable {
    public var id: String
    public var sitting: String
    public var candidate: String
    public var item: String
    public var name: String
    public var mediaType: String
    public var bytes: Int
    public var sha256: String
    public var uploadedAt: Date

    public init(id: String, sitting: String, candidate: String, item: String, name: String, mediaType: String, bytes: Int, sha256: String, uploadedAt: Date) {
        self.id = id
        self.sitting = sitting
        self.candidate = candidate
        self.item = item
        self.name = name
        self.mediaType = mediaType
        self.bytes = bytes
        self.sha256 = sha256
        self.uploadedAt = uploadedAt
    }
}

/// What invigilators and supervisors see and decide during a sitting.
public protocol ProctoringRepository: Sendable {
    /// Events with `id > after`, oldest first, at most `limit`.
    func feed(_ sitting: String, after: Int64, limit: Int) async throws -> [ProctorEventRecord]
    /// Each candidate's events by kind (of one source, or all), for the rules after a restart and the grid.
    func eventCounts(_ sitting: String, source: String?) async throws -> [String: [String: Int]]
    /// The events with these ids in this sitting (evidence must belong to it).
    func events(_ sitting: String, ids: [Int64]) async throws -> [ProctorEventRecord]
    /// Each candidate's latest event of `kind` (its detail), e.g. the last connection's address.
    func latest(_ sitting: String, kind: String) async throws -> [String: String]
    /// Candidates with an event of `kind` (e.g. admitted late).
    func candidates(_ sitting: String, withEvent kind: String) async throws -> Set<String>
    /// A staff member's event (a warning, an irregularity, a late admission) with its audit entry; returns its id.
    func recordStaffEvent(sitting: String, candidate: String?, kind: String, detail: String?, actor: String, at: Date, audit: AuditEvent) async throws -> Int64

    func storeSnapshot(sitting: String, candidate: String, takenAt: Date, bytes: Int, sealed: SealedBlob) async throws -> Int64
    func snapshots(_ sitting: String, candidate: String?) async throws -> [SnapshotInfo]
    /// Each candidate's latest snapshot.
    func latestSnapshots(_ sitting: String) async throws -> [String: SnapshotInfo]
    func snapshot(id: Int64) async throws -> (info: SnapshotInfo, sitting: String, sealed: SealedBlob)?

    /// Records a decision, its event on the feed and its audit entry together; returns its id.
    func recordMisconduct(_ record: MisconductRecord, audit: AuditEvent) async throws -> Int64
    func misconduct(_ sitting: String) async throws -> [MisconductRecord]

    func addNote(_ note: SupervisionNote, audit: AuditEvent) async throws -> Int64
    func notes(_ sitting: String) async throws -> [SupervisionNote]

    func storeFile(_ file: AnswerFileInfo, sealed: SealedBlob) async throws
    func files(_ sitting: String, candidate: String) async throws -> [AnswerFileInfo]
    func file(id: String) async throws -> (info: AnswerFileInfo, sealed: SealedBlob)?
}
