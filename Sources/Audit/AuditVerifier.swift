import Crypto
import ExamCore
import Foundation

/// What is wrong with the record, at which entry.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The entry's content does not match its hash (a changed byte).
        case altered
        /// The entry does not link to the one before it.
        case brokenLink
        /// An entry is missing (a gap in the sequence, or the tail removed before a checkpoint).
        case missing
        /// Entries are out of order.
        case outOfOrder
        /// A checkpoint's signature does not verify with the body's key.
        case forgedCheckpoint
        /// The chain disagrees with a signed checkpoint (rewritten history).
        case checkpointMismatch
    }

    /// The first entry affected.
    public var seq: Int64
    public var kind: Kind
    public var message: String

    public init(seq: Int64, kind: Kind, message: String) {
        self.seq = seq
        self.kind = kind
        self.message = message
    }

    public var description: String { "entry \(seq): \(message)" }
}

/// Result of verifying the record.
public struct AuditVerification: Sendable, Equatable {
    public var entriesChecked: Int64
    public var checkpointsChecked: Int
    public var lastHash: String
    /// The first problem by entry sequence, or nil when the record is intact.
    public var problem: AuditProblem?

    public init(entriesChecked: Int64, checkpointsChecked: Int, lastHash: String, problem: AuditProblem?) {
        self.entriesChecked = entriesChecked
        self.checkpointsChecked = checkpointsChecked
        self.lastHash = lastHash
        self.problem = problem
    }

    public var isIntact: Bool { problem == nil }
}

/// Recomputes the hash chain and checks the signed checkpoints.
///
/// Feed entries in ascending `seq` order with ``consume(_:)`` (any number, in batches), then call
/// ``finish(checkpoints:publicKey:)``. Memory stays constant whatever the length of the chain.
public struct AuditVerifier {
    private var expectedSeq: Int64 = 1
    private var previousHash = AuditChain.genesisHash
    private var hashes: [Int64: String] = [:]
    private var firstProblem: AuditProblem?
    private var wantedSeqs: Set<Int64>
    private var count: Int64 = 0

    /// - Parameter checkpointSeqs: entries whose hashes checkpoints will be compared with.
    public init(checkpointSeqs: some Sequence<Int64>) {
        wantedSeqs = Set(checkpointSeqs)
    }

    public mutating func consume(_ entry: AuditEntry) {
        count += 1
        defer {
            previousHash = entry.hash
            expectedSeq = entry.seq + 1
            if wantedSeqs.contains(entry.seq) { hashes[entry.seq] = entry.hash }
        }
        guard firstProblem == nil else { return }
        if entry.seq > expectedSeq {
            let missing = expectedSeq == entry.seq - 1 ? "entry \(expectedSeq) is missing" : "entries \(expectedSeq)–\(entry.seq - 1) are missing"
            report(expectedSeq, .missing, "\(missing) (the next entry present is \(entry.seq))")
            return
        }
        if entry.seq < expectedSeq {
            report(entry.seq, .outOfOrder, "entry \(entry.seq) appears after entry \(expectedSeq - 1)")
            return
        }
        let recomputed = AuditChain.hash(previous: entry.previousHash, canonicalEntry: entry.canonicalText)
        if recomputed != entry.hash {
            report(entry.seq, .altered, "content does not match its hash (the entry was altered)")
        } else if entry.previousHash != previousHash {
            report(entry.seq, .brokenLink, "does not link to entry \(entry.seq - 1) (an entry was altered, removed or reordered)")
        }
    }

    /// Checks the checkpoints against what was consumed and returns the verdict.
    public func finish(
        checkpoints: [AuditCheckpoint],
        publicKey: Curve25519.Signing.PublicKey?
    ) -> AuditVerification {
        var problems: [AuditProblem] = firstProblem.map { [$0] } ?? []
        let lastSeq = expectedSeq - 1
        // Every multiple of the interval must carry a checkpoint: deleted checkpoints are tampering too.
        let present = Set(checkpoints.map(\.seq))
        if lastSeq >= AuditChain.checkpointInterval,
            let missing = stride(from: AuditChain.checkpointInterval, through: lastSeq, by: Int(AuditChain.checkpointInterval))
                .first(where: { !present.contains($0) })
        {
            problems.append(AuditProblem(
                seq: missing, kind: .missing,
                message: "the signed checkpoint at this entry is missing (checkpoints were removed)"
            ))
        }
        for checkpoint in checkpoints.sorted(by: { $0.seq < $1.seq }) {
            if let publicKey {
                let signature = Data(base64Encoded: checkpoint.signature) ?? Data()
                let expectedID = BodySigningKey.keyID(of: publicKey)
                if checkpoint.keyID != expectedID || !publicKey.isValidSignature(signature, for: Data(checkpoint.signedText.utf8)) {
                    problems.append(AuditProblem(
                        seq: checkpoint.seq, kind: .forgedCheckpoint,
                        message: "the checkpoint at this entry is not validly signed by the body's key \(expectedID)"
                    ))
                    continue
                }
            }
            if checkpoint.seq > lastSeq {
                problems.append(AuditProblem(
                    seq: lastSeq + 1, kind: .missing,
                    message: "the record ends at entry \(lastSeq) but a signed checkpoint covers entry \(checkpoint.seq)"
                ))
            } else if let hash = hashes[checkpoint.seq], hash != checkpoint.hash {
                problems.append(AuditProblem(
                    seq: checkpoint.seq, kind: .checkpointMismatch,
                    message: "the chain up to this entry differs from the signed checkpoint (history was rewritten)"
                ))
            }
        }
        return AuditVerification(
            entriesChecked: count, checkpointsChecked: checkpoints.count, lastHash: previousHash,
            problem: problems.min { $0.seq < $1.seq }
        )
    }

    private mutating func report(_ seq: Int64, _ kind: AuditProblem.Kind, _ message: String) {
        firstProblem = AuditProblem(seq: seq, kind: kind, message: message)
    }
}
