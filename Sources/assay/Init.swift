import ArgumentParser
import Audit
import ExamCore
import Foundation
import Storage

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a data directory: the database, the body's signing key and the body's record.",
        discussion: """
            Refuses to touch a directory that is already initialised. The signing key
            (keys/body-signing.key, mode 0600) signs the audit checkpoints: back it up separately.
            """
    )

    @OptionGroup var options: DataOptions

    @Option(help: "The evaluation body's name (评价机构名称).")
    var bodyName: String = "评价机构"

    @Option(help: "The evaluation body's code (used in certificate numbers).")
    var bodyCode: String = "0000"

    func run() async throws {
        try await reportingErrors {
            let directory = DataDirectory(path: options.data)
            let profile = try await Self.initialise(directory, name: bodyName, code: bodyCode)
            say("Initialised \(directory.path) for \(profile.name) (\(profile.code)).")
            say("Signing key: \(directory.signingKeyPath) (keep a backup; it signs the audit record)")
        }
    }

    /// Creates the directory and body record; shared with `assay demo`.
    static func initialise(_ directory: DataDirectory, name: String, code: String) async throws -> BodyProfile {
        if directory.isInitialised {
            throw ExamError(.conflict, code: "already_initialised", message: "\(directory.path) is already initialised")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let code = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else { throw ExamError.invalid("invalid_body_name", "the body name must have 1 to 200 characters") }
        guard (1...32).contains(code.count), code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw ExamError.invalid("invalid_body_code", "the body code must have 1 to 32 letters, digits or '-'")
        }
        let database = try directory.initialise()
        let profile = BodyProfile(name: name, code: code, createdAt: Date())
        let keyID = try directory.signingKey(create: false)?.keyID ?? ""
        try await database.store.body.create(
            profile,
            audit: AuditEvent(
                actor: Self.operatorActor, action: "body.initialised", subject: "body:\(code)",
                payload: ["name": .string(name), "signingKey": .string(keyID)]
            )
        )
        try await database.store.audit.checkpoint()
        return profile
    }

    /// The actor recorded for command-line actions: the operating-system user.
    static var operatorActor: String {
        "cli:\(ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName)"
    }
}
