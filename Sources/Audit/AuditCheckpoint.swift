import Crypto
import ExamCore
import Foundation

/// A signed statement by the evaluation body: "the chain up to entry `seq` ends in `hash`".
///
/// Signed with the body's Ed25519 key, so rewriting the chain before a checkpoint (even with
/// every hash recomputed) is detected by anyone holding the public key.
public struct AuditCheckpoint: Sendable, Equatable {
    public var seq: Int64
    public var hash: String
    public var timeMillis: Int64
    /// Fingerprint of the signing public key.
    public var keyID: String
    /// Base64 Ed25519 signature over ``signedText``.
    public var signature: String

    public init(seq: Int64, hash: String, timeMillis: Int64, keyID: String, signature: String) {
        self.seq = seq
        self.hash = hash
        self.timeMillis = timeMillis
        self.keyID = keyID
        self.signature = signature
    }

    /// The exact bytes that are signed.
    public var signedText: String { "assay-audit-checkpoint/1\n\(seq)\n\(hash)\n\(timeMillis)" }

    public var time: Date { Date(millis: timeMillis) }
}

/// The body's signing key (Ed25519), used for audit checkpoints.
public struct BodySigningKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey = .init()) {
        self.privateKey = privateKey
    }

    /// Restores a key from its 32-byte raw representation.
    public init(rawRepresentation: Data) throws {
        self.privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
    }

    public var publicKey: Curve25519.Signing.PublicKey { privateKey.publicKey }

    /// Hex of the raw public key.
    public var publicKeyHex: String { publicKey.rawRepresentation.hexString }

    /// A short fingerprint naming the key: the first 16 hex digits of SHA-256 of the public key.
    public var keyID: String { Self.keyID(of: publicKey) }

    public static func keyID(of publicKey: Curve25519.Signing.PublicKey) -> String {
        String(SHA256.hash(data: publicKey.rawRepresentation).hexString.prefix(16))
    }

    /// Signs a checkpoint for the entry `head`.
    public func checkpoint(for head: AuditEntry, at time: Date) throws -> AuditCheckpoint {
        var checkpoint = AuditCheckpoint(
            seq: head.seq, hash: head.hash, timeMillis: time.millis,
            keyID: keyID, signature: ""
        )
        checkpoint.signature = try privateKey.signature(for: Data(checkpoint.signedText.utf8)).base64EncodedString()
        return checkpoint
    }
}
