import Accounts
import Audit
import Documents
import ExamCore
import ExamStandards
import Foundation
import Hummingbird
import Logging
import NIOCore
import Storage

/// Starts one node: opens the data directory, loads the standards, raises the file limit and serves
/// until SIGINT/SIGTERM, shutting down gracefully.
public enum AssayServer {
    /// Why the server could not start, with a message for the operator and an exit status.
    public struct StartError: Error, CustomStringConvertible {
        public var message: String
        public var exitCode: Int32
        public var description: String { message }
    }

    public static func run(
        _ configuration: ServerConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let limits = FileDescriptorLimit.raise(to: configuration.openFileLimit)
        logger.info(
            "open-file limit", metadata: ["before": "\(limits.before)", "after": "\(limits.after)", "wanted": "\(configuration.openFileLimit)"]
        )
        if limits.after < 4096 {
            logger.warning("the open-file limit is low; thousands of connections need more (raise the hard limit with ulimit -Hn)")
        }
        let catalog = StandardLoader.load(path: configuration.examsDirectory)
        guard catalog.isValid else {
            throw StartError(
                message: "the occupation standards in \(configuration.examsDirectory) have errors:\n"
                    + catalog.issues.map { "  \($0)" }.joined(separator: "\n") + "\nrun `assay exams check` for details",
                exitCode: 2
            )
        }
        let policy: ProctoringPolicy
        switch ProctoringPolicyLoader.load(examsDirectory: configuration.examsDirectory) {
        case .success(let loaded): policy = loaded
        case .failure(let problems):
            throw StartError(
                message: "the proctoring policy has errors:\n" + problems.issues.map { "  \($0)" }.joined(separator: "\n") + "\nrun `assay exams check` for details",
                exitCode: 2
            )
        }
        let database = try configuration.dataDirectory.open(configuration: configuration.database)
        let services = AssayServices(
            store: database.store, catalog: catalog, signingKey: try configuration.dataDirectory.signingKey(create: false),
            argon2: configuration.argon2, hashingThreads: configuration.hashingThreads,
            hashingQueueLimit: configuration.hashingQueueLimit, sessions: configuration.sessions,
            throttle: configuration.throttle, clock: SystemWallClock(),
            examsDirectory: configuration.examsDirectory,
            personalDataKey: try PersonalDataKey(rawRepresentation: configuration.dataDirectory.personalDataKey { PersonalDataKey.generate().raw }),
            publicURL: configuration.publicURL, proctoringPolicy: policy
        )
        logger.info(
            "starting",
            metadata: [
                "data": "\(configuration.dataDirectory.path)", "standards": "\(catalog.standards.count)",
                "durability": "\(configuration.database.durability.rawValue)", "hashingThreads": "\(services.hashing.threads)",
            ]
        )
        let started = AuditEvent(
            actor: "system", action: "node.started", subject: "node",
            payload: [
                "durability": .string(configuration.database.durability.rawValue),
                "standards": .object(Dictionary(uniqueKeysWithValues: catalog.digests.map { ($0.key.rawValue, JSONValue.string($0.value)) })),
            ]
        )
        let app = AssayApplication.build(configuration: configuration, services: services, logger: logger) { port in
            // On the record once listening: which standards (by file digest) this node serves.
            do {
                try await services.store.audit.append(started)
            } catch {
                logger.error("could not record the node start", metadata: ["error": "\(error)"])
            }
            await onServerRunning(port)
        }
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw StartError(
                message: "port \(configuration.port) on \(configuration.host) is already in use; stop the other server or choose another port with --port",
                exitCode: 3
            )
        } catch let error as IOError where error.errnoCode == EACCES {
            throw StartError(
                message: "not allowed to listen on port \(configuration.port); ports below 1024 need privileges",
                exitCode: 3
            )
        }
    }
}
