import Audit
import Crypto
import ExamCore
import Foundation

extension AuditLog {
    /// Recomputes the whole chain in batches and checks every checkpoint signature.
    ///
    /// - Parameter publicKey: the body's public key. When nil, the key recorded in the database is
    ///   used if there is exactly one; an outside auditor should pass the key they hold.
    public func verifyChain(publicKey: Curve25519.Signing.PublicKey?, batchSize: Int = 2000) async throws -> AuditVerification {
        let checkpoints = try await checkpoints()
        var key = publicKey
        let recorded = try await signingKeys()
        if key == nil, recorded.count == 1, let only = recorded.values.first, let raw = Data(hexString: only) {
            key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        }
        if key == nil, let first = checkpoints.first {
            // Checkpoints exist but no key to check them with: that is itself a failure.
            return AuditVerification(
                entriesChecked: 0, checkpointsChecked: 0, lastHash: AuditChain.genesisHash,
                problem: AuditProblem(seq: first.seq, kind: .forgedCheckpoint, message: "no public key to verify the checkpoints with")
            )
        }
        var verifier = AuditVerifier(checkpointSeqs: checkpoints.map(\.seq))
        var after: Int64 = 0
        while true {
            let batch = try await entries(after: after, limit: batchSize)
            for entry in batch { verifier.consume(entry) }
            guard let last = batch.last, batch.count == batchSize else { break }
            after = last.seq
        }
        return verifier.finish(checkpoints: checkpoints, publicKey: key)
    }
}
