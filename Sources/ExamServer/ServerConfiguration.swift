import Accounts
import ExamCore
import Foundation
import Storage

/// Everything the server reads at start-up. Built once (by the CLI) and passed down; nothing
/// else reads the environment.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 asks the OS for a free port.
    public var port: Int
    public var dataDirectory: DataDirectory
    /// The folder of the web client (`Public/`); nil serves no static files.
    public var publicDirectory: String?
    /// The folder of occupation standards (`Exams/`).
    public var examsDirectory: String
    public var database: SQLiteConfiguration
    public var argon2: Argon2PasswordHasher.Parameters
    /// Threads hashing passwords; at most this many hashes run at once.
    public var hashingThreads: Int
    /// Logins waiting for a hashing thread beyond this are refused with 503.
    public var hashingQueueLimit: Int
    public var sessions: SessionLifetime
    public var throttle: LoginThrottle.Policy
    /// Marks the session cookie `Secure` (set when serving over TLS or behind a TLS proxy).
    public var secureCookies: Bool
    /// The open-file limit to ask for at start-up.
    public var openFileLimit: UInt64
    /// The address candidates use (`https://exam.example.cn`), printed in ticket QR codes; nil uses the request's Host.
    public var publicURL: String?
    /// Other origins (`https://exam.example.cn`) whose pages may open the sitting WebSocket.
    public var allowedOrigins: [String]
    /// Addresses of reverse proxies whose `X-Forwarded-For` gives the client's address.
    public var trustedProxies: [String]

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: DataDirectory,
        publicDirectory: String? = "Public",
        examsDirectory: String = "Exams",
        database: SQLiteConfiguration = .init(),
        argon2: Argon2PasswordHasher.Parameters = .owasp,
        hashingThreads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount),
        hashingQueueLimit: Int = 256,
        sessions: SessionLifetime = .init(),
        throttle: LoginThrottle.Policy = .init(),
        secureCookies: Bool = false,
        openFileLimit: UInt64 = 65_536,
        publicURL: String? = nil,
        allowedOrigins: [String] = [], trustedProxies: [String] = []
    ) {
        self.allowedOrigins = allowedOrigins
        self.trustedProxies = trustedProxies
        self.publicURL = publicURL
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.publicDirectory = publicDirectory
        self.examsDirectory = examsDirectory
        self.database = database
        self.argon2 = argon2
        self.hashingThreads = hashingThreads
        self.hashingQueueLimit = hashingQueueLimit
        self.sessions = sessions
        self.throttle = throttle
        self.secureCookies = secureCookies
        self.openFileLimit = openFileLimit
    }
}
