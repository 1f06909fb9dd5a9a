import Accounts
import ArgumentParser
import ExamCore
import ExamServer
import Foundation
import Logging
import Storage

/// Options of the HTTP server, shared by `serve` and `demo`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: ArgumentHelp("The web client's folder.", valueName: "dir"))
    var publicDir: String = "Public"

    @Option(help: ArgumentHelp("The occupation standards' folder.", valueName: "dir"))
    var exams: String = "Exams"

    @Option(help: "full: every acknowledged write is fsync'd (default); normal: faster, may lose the last writes on power loss.")
    var durability: Durability = .full

    @Option(help: "Threads hashing passwords (at most this many Argon2 hashes at once).")
    var hashingThreads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    @Option(help: "Argon2id memory cost in KiB (OWASP: 19456).")
    var argon2MemoryKib: UInt32 = 19 * 1024

    @Option(help: "Argon2id iterations (OWASP: 2).")
    var argon2Iterations: UInt32 = 2

    @Option(help: "Argon2id lanes (OWASP: 1).")
    var argon2Parallelism: UInt32 = 1

    @Option(help: "Minutes of inactivity after which a login session ends.")
    var sessionIdleMinutes: Int = 30

    @Option(help: "Hours after which a login session ends however active.")
    var sessionHours: Int = 12

    @Flag(help: "Mark the session cookie Secure (when clients reach the server over HTTPS, e.g. behind a TLS proxy).")
    var secureCookies = false

    @Option(help: ArgumentHelp("The address candidates use, printed in admission-ticket QR codes (default: the address each request came to).", valueName: "url"))
    var publicURL: String?

    @Option(name: .customLong("allowed-origin"), help: ArgumentHelp("Another origin whose pages may open the sitting WebSocket (repeatable).", valueName: "url"))
    var allowedOrigins: [String] = []

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "The address of a reverse proxy in front of Assay (repeatable): its X-Forwarded-For gives the client's address.", valueName: "ip"))
    var trustedProxies: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard hashingThreads >= 1 else { throw ValidationError("--hashing-threads must be at least 1") }
        guard argon2MemoryKib >= 8 * 1024 else { throw ValidationError("--argon2-memory-kib must be at least 8192") }
        guard argon2Iterations >= 1 else { throw ValidationError("--argon2-iterations must be at least 1") }
        guard (1...16).contains(argon2Parallelism) else { throw ValidationError("--argon2-parallelism must be between 1 and 16") }
        guard sessionIdleMinutes >= 1, sessionHours >= 1 else { throw ValidationError("session lifetimes must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func configuration(data: String) -> ServerConfiguration {
        ServerConfiguration(
            host: host, port: port, dataDirectory: DataDirectory(path: data),
            publicDirectory: FileManager.default.fileExists(atPath: publicDir) ? publicDir : nil,
            examsDirectory: exams,
            database: SQLiteConfiguration(durability: durability),
            argon2: .init(memoryKiB: argon2MemoryKib, iterations: argon2Iterations, parallelism: argon2Parallelism),
            hashingThreads: hashingThreads,
            sessions: SessionLifetime(idle: TimeInterval(sessionIdleMinutes * 60), absolute: TimeInterval(sessionHours * 3600)),
            secureCookies: secureCookies,
            publicURL: publicURL,
            allowedOrigins: allowedOrigins,
            trustedProxies: trustedProxies
        )
    }

    /// Serves until interrupted, reporting start-up failures with their exit status.
    func serve(data: String, announce: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let logger = makeLogger(level: logLevel)
        let configuration = configuration(data: data)
        if configuration.publicDirectory == nil {
            logger.warning("no web client folder found; serving the API only", metadata: ["publicDir": "\(publicDir)"])
        }
        do {
            try await AssayServer.run(configuration, logger: logger) { port in
                logger.info("Assay is serving", metadata: ["url": "http://\(host):\(port)/"])
                announce(port)
            }
        } catch let error as AssayServer.StartError {
            complain("error: \(error.message)")
            throw ExitCode(error.exitCode)
        } catch let error as ExamError {
            complain("error: \(error.message) [\(error.code)]")
            throw ExitCode(1)
        }
    }
}

extension Durability: ExpressibleByArgument {}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web client and the API from an initialised data directory.",
        discussion: """
            Listens on --host/--port until SIGINT or SIGTERM, then shuts down gracefully (a signed
            audit checkpoint is written on the way out). Exit status 2: the standards have errors;
            3: the port is taken or not allowed; 1: any other start-up failure.
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await server.serve(data: data.data)
    }
}
