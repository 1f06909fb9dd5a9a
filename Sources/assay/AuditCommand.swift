import ArgumentParser
import Audit
import Crypto
import ExamCore
import Foundation
import Storage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify and inspect the hash-chained audit record.",
        subcommands: [Verify.self, Checkpoint.self, Tail.self, PublicKey.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the whole audit chain and check every signed checkpoint.",
            discussion: """
                Reports the first bad entry (altered, missing, reordered, or disagreeing with a signed
                checkpoint) and exits with status 1; exit 0 means the record is intact. By default the
                public key is derived from the data directory's signing key; an outside auditor should
                pass the body's published key with --public-key.
                """
        )

        @OptionGroup var options: DataOptions

        @Option(help: "The body's Ed25519 public key (64 hex digits).")
        var publicKey: String?

        func run() async throws {
            try await reportingErrors {
                let directory = DataDirectory(path: options.data)
                let database = try directory.openReadOnly()
                var key = try directory.signingKey(create: false)?.publicKey
                var keySource = key == nil ? "the key recorded in the database (self-attested)" : "the data directory's own key (self-attested)"
                if let publicKey {
                    guard let raw = Data(hexString: publicKey), let parsed = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
                    else { throw ExamError.invalid("bad_public_key", "--public-key must be 64 hex digits of an Ed25519 key") }
                    key = parsed
                    keySource = "the given public key \(BodySigningKey.keyID(of: parsed))"
                }
                let result = try await database.store.audit.verifyChain(publicKey: key)
                if let problem = result.problem {
                    complain("TAMPERED: \(problem) [\(problem.kind.rawValue)]")
                    complain("checked \(result.entriesChecked) entries and \(result.checkpointsChecked) checkpoints")
                    throw ExitCode(1)
                }
                say("ok: \(result.entriesChecked) entries, \(result.checkpointsChecked) signed checkpoints, head \(result.lastHash)")
                say("checkpoints verified with \(keySource)")
                if publicKey == nil {
                    say("for an independent check, pass the body's published key: --public-key HEX")
                }
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a checkpoint for the current head of the chain.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            try await reportingErrors {
                let database = try DataDirectory(path: options.data).open()
                if let checkpoint = try await database.store.audit.checkpoint() {
                    say("checkpoint at entry \(checkpoint.seq): \(checkpoint.hash) signed by \(checkpoint.keyID)")
                } else {
                    say("nothing to checkpoint")
                }
            }
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key",
            abstract: "Print the body's public key, to publish for independent verification (--public-key)."
        )
        @OptionGroup var options: DataOptions

        func run() async throws {
            try await reportingErrors {
                guard let key = try DataDirectory(path: options.data).signingKey(create: false) else {
                    throw ExamError(.notFound, code: "signing_key_missing", message: "no signing key in \(options.data)")
                }
                say("\(key.publicKeyHex)  (key \(key.keyID), Ed25519)")
            }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the last entries of the audit record.")
        @OptionGroup var options: DataOptions
        @Option(help: "How many entries.") var count: Int = 20

        func run() async throws {
            try await reportingErrors {
                let audit = try DataDirectory(path: options.data).openReadOnly().store.audit
                let total = try await audit.count()
                let entries = try await audit.entries(after: max(0, total - Int64(max(1, count))), limit: max(1, count))
                let formatter = ISO8601DateFormatter()
                for entry in entries {
                    say("\(entry.seq)\t\(formatter.string(from: entry.time))\t\(entry.actor)\t\(entry.action)\t\(entry.subject)\t\(entry.payloadText)")
                }
            }
        }
    }
}
