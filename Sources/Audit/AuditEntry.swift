import Crypto
import ExamCore
import Foundation

/// Something that happened and must stay on the record: who did what to what, with details.
///
/// The payload must never hold passwords, tokens, key material or item text.
public struct AuditEvent: Sendable, Equatable {
    /// Who acted: an account ID, `system`, or `cli:<user>` for the operator's command line.
    public var actor: String
    /// A dotted verb such as `account.created` or `auth.login_failed`.
    public var action: String
    /// What it acted on, e.g. `account:<id>`.
    public var subject: String
    public var payload: JSONValue

    public init(actor: String, action: String, subject: String, payload: JSONValue = [:]) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.payload = payload
    }
}

/// A link of the audit chain as stored.
///
/// `hash = SHA-256(previous hash ‖ canonical entry)`, where the canonical entry is the canonical JSON
/// of `{action, actor, payload, seq, subject, time}` and the first entry's previous hash is 32 zero bytes.
public struct AuditEntry: Sendable, Equatable {
    public var seq: Int64
    /// Milliseconds since 1970 (UTC).
    public var timeMillis: Int64
    public var actor: String
    public var action: String
    public var subject: String
    /// The payload's canonical JSON text, stored as is.
    public var payloadText: String
    public var previousHash: String
    public var hash: String

    public init(
        seq: Int64, timeMillis: Int64, actor: String, action: String, subject: String, payloadText: String,
        previousHash: String, hash: String
    ) {
        self.seq = seq
        self.timeMillis = timeMillis
        self.actor = actor
        self.action = action
        self.subject = subject
        self.payloadText = payloadText
        self.previousHash = previousHash
        self.hash = hash
    }

    /// Makes the next link after `previousHash`.
    public init(seq: Int64, time: Date, event: AuditEvent, previousHash: String) {
        self.seq = seq
        self.timeMillis = time.millis
        self.actor = event.actor
        self.action = event.action
        self.subject = event.subject
        self.payloadText = event.payload.canonicalText
        self.previousHash = previousHash
        self.hash = ""
        self.hash = AuditChain.hash(previous: previousHash, canonicalEntry: canonicalText)
    }

    public var time: Date { Date(millis: timeMillis) }

    /// The text the hash covers. The payload is embedded as stored, so a changed byte changes the hash.
    public var canonicalText: String {
        var members: [String: JSONValue] = [
            "action": .string(action), "actor": .string(actor), "seq": .int(Int(seq)),
            "subject": .string(subject), "time": .int(Int(timeMillis)),
        ]
        members["payload"] = .string(payloadText)
        return JSONValue.object(members).canonicalText
    }
}

/// The hash rule of the chain.
public enum AuditChain {
    /// A signed checkpoint is written at every multiple of this sequence number, in the same
    /// transaction as that entry; the verifier requires each one, so removing checkpoints is detected.
    public static let checkpointInterval: Int64 = 100

    /// The previous hash of the first entry: 32 zero bytes, hex.
    public static let genesisHash = String(repeating: "0", count: 64)

    public static func hash(previous: String, canonicalEntry: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(hexString: previous) ?? Data(previous.utf8))
        hasher.update(data: Data(canonicalEntry.utf8))
        return hasher.finalize().hexString
    }
}
