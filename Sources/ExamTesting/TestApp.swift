import Accounts
import Audit
import ExamCore
import Documents
import ExamServer
import ExamStandards
import Foundation
import Hummingbird
import Storage

/// A complete application over a real SQLite file in a temporary directory, with a manual clock
/// and cheap Argon2 parameters, for HTTP tests through `app.test(.router)`.
public struct TestApp: Sendable {
    public let directory: TemporaryDirectory
    public let dataDirectory: DataDirectory
    public let database: SQLiteDatabase
    public let services: AssayServices
    public let clock: ManualWallClock

    /// Argon2 parameters cheap enough for tests (the real defaults are exercised in AccountsTests).
    public static let fastArgon2 = Argon2PasswordHasher.Parameters(memoryKiB: 8 * 1024, iterations: 1, parallelism: 1)

    public init(
        throttle: LoginThrottle.Policy = .init(), sessions: SessionLifetime = .init()
    ) throws {
        directory = TemporaryDirectory()
        clock = ManualWallClock()
        dataDirectory = DataDirectory(path: directory.file("data"))
        database = try dataDirectory.initialise(clock: clock)
        services = AssayServices(
            store: database.store, catalog: StandardLoader.load(path: RepositoryPaths.exams),
            signingKey: try dataDirectory.signingKey(create: false), argon2: Self.fastArgon2, hashingThreads: 2,
            hashingQueueLimit: 64, sessions: sessions, throttle: throttle, clock: clock,
            examsDirectory: RepositoryPaths.exams,
            personalDataKey: try PersonalDataKey(rawRepresentation: dataDirectory.personalDataKey { PersonalDataKey.generate().raw })
        )
    }

    /// The router the server would run (no static files).
    public func router() -> Router<AppRequestContext> {
        AssayApplication.router(services: services, publicDirectory: nil, secureCookies: false)
    }

    public func application() -> some ApplicationProtocol {
        Application(router: router())
    }

    /// Creates an account directly through the account service.
    @discardableResult
    public func addAccount(_ username: String, roles: [Role], occupations: [String] = [], password: String? = nil) async throws -> Account {
        try await services.accounts.create(
            .init(
                username: username, displayName: "用户 \(username)", roles: roles.map(\.rawValue), occupations: occupations,
                password: password ?? Self.password(for: username)
            ),
            actor: "test"
        )
    }

    /// The password ``addAccount(_:roles:occupations:password:)`` gives an account by default.
    public static func password(for username: String) -> String { "pw-\(username.count)-correct-horse-battery" }

    /// Removes the directory and stops the hashing threads.
    public func close() {
        services.hashing.beginShutdown()
        directory.remove()
    }
}
