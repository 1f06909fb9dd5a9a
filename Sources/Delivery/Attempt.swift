import Crypto
import ExamCore
import Foundation

/// One candidate's attempt at a sitting: where it stands, the answers and flags the server holds,
/// and the last change applied for each item. A value: the live sitting applies a change here,
/// stores what changed, then acknowledges.
public struct Attempt: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case waiting, answering, handedIn }
    public enum HandInReason: String, Sendable, Codable { case candidate, deadline, terminated }

    public struct Entry: Sendable, Equatable, Codable {
        public var seq: Int
        public var answer: Answer?

        public init(seq: Int, answer: Answer?) {
            self.seq = seq
            self.answer = answer
        }
    }

    public var candidate: String
    public var status: Status
    public var answers: [String: Entry]
    public struct Flag: Sendable, Equatable, Codable {
        public var flagged: Bool
        public var seq: Int

        public init(flagged: Bool, seq: Int) {
            self.flagged = flagged
            self.seq = seq
        }
    }

    /// Flag state per item, with the seq that set it.
    public var flags: [String: Flag]
    /// The highest seq applied or acknowledged.
    public var lastSeq: Int
    public var handedInAt: Date?
    public var handInReason: HandInReason?
    public var receipt: Receipt?

    public init(candidate: String, status: Status = .waiting) {
        self.candidate = candidate
        self.status = status
        answers = [:]
        flags = [:]
        lastSeq = 0
    }

    public var flaggedItems: [String] { flags.filter(\.value.flagged).keys.sorted { $0.compare($1, options: .numeric) == .orderedAscending } }

    /// What became of a change.
    public enum Outcome: Sendable, Equatable {
        /// Applied: store it, then acknowledge.
        case applied
        /// Already applied, or a newer change of the item won: acknowledge, store nothing.
        case alreadyCovered
    }

    /// Applies a checked answer for `item` with `seq` (last seq wins per item).
    public mutating func save(_ answer: Answer?, item: String, seq: Int) throws(DeliveryError) -> Outcome {
        guard status != .handedIn else { throw .handedIn }
        guard status == .answering else { throw .notStarted }
        lastSeq = max(lastSeq, seq)
        if let current = answers[item], current.seq >= seq { return .alreadyCovered }
        answers[item] = Entry(seq: seq, answer: answer)
        return .applied
    }

    public mutating func flag(_ item: String, flagged: Bool, seq: Int) throws(DeliveryError) -> Outcome {
        guard status != .handedIn else { throw .handedIn }
        lastSeq = max(lastSeq, seq)
        if let current = flags[item], current.seq >= seq { return .alreadyCovered }
        flags[item] = Flag(flagged: flagged, seq: seq)
        return .applied
    }

    /// Notes a seq that carried no state change (an event), so a replay is recognised.
    public mutating func note(seq: Int) { lastSeq = max(lastSeq, seq) }

    /// Ends the attempt and computes its receipt.
    public mutating func handIn(at now: Date, reason: HandInReason, sitting: String, items: Int) {
        guard status != .handedIn else { return }
        status = .handedIn
        handedInAt = now
        handInReason = reason
        receipt = Receipt(sitting: sitting, candidate: candidate, handedInAt: now, reason: reason, answers: answers.compactMapValues(\.answer), items: items)
    }
}

/// What a candidate gets at hand-in: how many items were answered and a SHA-256 over the final
/// answers in canonical form — one line per answered item, `key TAB canonical-JSON LF`, in
/// numeric key order — so anyone holding the answers can recompute it.
public struct Receipt: Sendable, Equatable, Codable {
    public var sitting: String
    public var candidate: String
    public var handedInAt: Date
    public var reason: Attempt.HandInReason
    public var answered: Int
    public var items: Int
    public var sha256: String

    public init(sitting: String, candidate: String, handedInAt: Date, reason: Attempt.HandInReason, answers: [String: Answer], items: Int) {
        self.sitting = sitting
        self.candidate = candidate
        self.handedInAt = handedInAt
        self.reason = reason
        self.items = items
        answered = answers.count
        sha256 = Self.digest(answers)
    }

    public static func digest(_ answers: [String: Answer]) -> String {
        let lines = answers.keys.sorted { $0.compare($1, options: .numeric) == .orderedAscending }.map { "\($0)\t\(answers[$0]!.canonicalJSON)\n" }
        return SHA256.hash(data: Data(lines.joined().utf8)).hexString
    }
}
