import Accounts
import Audit
import Documents
import ExamCore
import ExamStandards
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Storage

/// The running parts of one Assay node, built once from configuration.
public struct AssayServices: Sendable {
    public let store: Store
    public let accounts: AccountService
    public let auth: AuthService
    public let hashing: PasswordHashingPool
    public let vault: BankVault
    public let catalog: StandardCatalog
    public let signingKey: BodySigningKey?
    public let clock: any WallClock
    /// The standards' folder (`Exams`): blueprints and the 告知承诺书 live there too.
    public let examsDirectory: String
    public var blueprintsDirectory: String { (examsDirectory as NSString).appendingPathComponent("blueprints") }
    /// Seals candidates' documents at rest.
    public let personalDataKey: PersonalDataKey
    /// Where candidates reach this server, for ticket QR codes; nil uses the request's Host.
    public let publicURL: String?
    /// How sittings are watched (`Exams/proctoring/policy.yaml`).
    public let proctoringPolicy: ProctoringPolicy

    /// A delivery runtime over these services (the server builds one and runs it as a service).
    public func delivery(logger: Logger = Logger(label: "assay.delivery")) -> DeliveryRuntime {
        DeliveryRuntime(
            store: store, clock: clock, standards: catalog.standards, vault: vault, personalKey: personalDataKey, policy: proctoringPolicy, logger: logger
        )
    }

    public init(
        store: Store, catalog: StandardCatalog, signingKey: BodySigningKey?, argon2: Argon2PasswordHasher.Parameters,
        hashingThreads: Int, hashingQueueLimit: Int, sessions: SessionLifetime, throttle: LoginThrottle.Policy,
        clock: any WallClock, examsDirectory: String = "Exams", personalDataKey: PersonalDataKey = PersonalDataKey.generate().key,
        publicURL: String? = nil, proctoringPolicy: ProctoringPolicy = .standard
    ) {
        self.examsDirectory = examsDirectory
        self.proctoringPolicy = proctoringPolicy
        self.personalDataKey = personalDataKey
        self.publicURL = publicURL
        let hasher = Argon2PasswordHasher(parameters: argon2)
        let hashing = PasswordHashingPool(threads: hashingThreads, queueLimit: hashingQueueLimit)
        self.store = store
        self.catalog = catalog
        self.signingKey = signingKey
        self.clock = clock
        self.hashing = hashing
        self.vault = BankVault(store: store, clock: clock)
        self.accounts = AccountService(
            store: store, hasher: hasher, hashing: hashing, clock: clock, knownOccupations: Set(catalog.standards.map(\.code))
        )
        self.auth = AuthService(
            store: store, hasher: hasher, hashing: hashing, throttle: LoginThrottle(policy: throttle, clock: clock),
            lifetime: sessions, clock: clock
        )
    }
}

/// Builds the HTTP application: middleware, routes and background services.
public enum AssayApplication {
    /// The router with every route and middleware; the access-matrix test walks its routes.
    public static func router(
        services: AssayServices, publicDirectory: String?, secureCookies: Bool, delivery: DeliveryRuntime? = nil, trustedProxies: [String] = []
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        if !trustedProxies.isEmpty { router.add(middleware: ForwardedAddressMiddleware(trusted: Set(trustedProxies))) }
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        if let publicDirectory {
            router.add(middleware: FileMiddleware(publicDirectory, searchForIndexHtml: true))
        }
        router.add(middleware: AuthorizationMiddleware(auth: services.auth))
        SystemRoutes(store: services.store, registry: MetricsBootstrap.registry).register(on: router)
        AuthRoutes(auth: services.auth, secureCookies: secureCookies).register(on: router)
        UserRoutes(accounts: services.accounts).register(on: router)
        AuditRoutes(cache: AuditStatusCache(store: services.store, signingKey: services.signingKey, clock: services.clock))
            .register(on: router)
        ExamRoutes(catalog: services.catalog).register(on: router)
        RegistrationRoutes(
            registration: RegistrationService(
                store: services.store, standards: services.catalog.standards, accounts: services.accounts,
                commitment: RegistrationService.commitmentText(examsDirectory: services.examsDirectory),
                clock: services.clock
            )
        ).register(on: router)
        SittingRoutes(sittings: SittingService(store: services.store, standards: services.catalog.standards, clock: services.clock))
            .register(on: router)
        let evidence = EvidenceService(store: services.store, key: services.personalDataKey, clock: services.clock)
        AdministrationRoutes(
            evidence: evidence,
            plans: PlanService(store: services.store, standards: services.catalog.standards, clock: services.clock),
            tickets: TicketService(
                store: services.store, standards: services.catalog.standards, evidence: evidence,
                rules: TicketService.rules(examsDirectory: services.examsDirectory)
            ),
            store: services.store, standards: services.catalog.standards, publicURL: services.publicURL, secureCookies: secureCookies
        ).register(on: router)
        PaperRoutes(
            papers: PaperService(store: services.store, standards: services.catalog.standards, blueprints: services.blueprintsDirectory),
            vault: services.vault
        ).register(on: router)
        BankRoutes(vault: services.vault, store: services.store).register(on: router)
        let runtime = delivery ?? services.delivery()
        SitRoutes(runtime: runtime, auth: services.auth, store: services.store, secureCookies: secureCookies).register(on: router)
        ProctorRoutes(proctor: ProctorService(runtime: runtime)).register(on: router)
        ScoreRoutes(runtime: runtime).register(on: router)
        MarkingRoutes(runtime: runtime).register(on: router)
        ItemWorkflowRoutes(bank: BankService(store: services.store, standards: services.catalog.standards), clock: services.clock)
            .register(on: router)
        return router
    }

    /// The application for `configuration`, with the session sweeper and shutdown checkpoint as services.
    public static func build(
        configuration: ServerConfiguration, services: AssayServices, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        MetricsBootstrap.bootstrapOnce()
        let delivery = services.delivery(logger: logger)
        let router = router(
            services: services, publicDirectory: configuration.publicDirectory, secureCookies: configuration.secureCookies, delivery: delivery,
            trustedProxies: configuration.trustedProxies
        )
        let origins = Set([configuration.publicURL].compactMap { $0 }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } + configuration.allowedOrigins)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: SitWebSocket.router(runtime: delivery, allowedOrigins: origins),
                configuration: .init(maxFrameSize: SitWebSocket.maxMessage, autoPing: .enabled(timePeriod: .seconds(20)))
            ),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Assay"),
            services: [NodeService(services: services, logger: logger), DeliveryService(runtime: delivery)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}

/// Housekeeping that lives as long as the server: sweeps ended sessions and signs an audit
/// checkpoint every ``sweepInterval``, and on shutdown signs a last checkpoint and stops the
/// hashing threads.
struct NodeService: Service {
    let services: AssayServices
    let logger: Logger

    /// How often ended sessions are deleted.
    static let sweepInterval: Duration = .seconds(600)

    func run() async throws {
        let store = services.store
        let clock = services.clock
        let logger = logger
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await store.sessions.deleteEnded(before: clock.now())
                    if removed > 0 { logger.info("ended sessions removed", metadata: ["count": "\(removed)"]) }
                    // A signed checkpoint at least every sweep, so the unsigned tail stays short.
                    try await store.audit.checkpoint()
                } catch {
                    logger.warning("session sweep failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: Self.sweepInterval)
            }
        }
        do {
            try await services.store.audit.checkpoint()
        } catch {
            logger.error("could not write the shutdown audit checkpoint", metadata: ["error": "\(error)"])
        }
        try await services.hashing.shutdown()
    }
}

/// Prometheus metrics: one registry per process, bootstrapped once.
enum MetricsBootstrap {
    static let registry = PrometheusCollectorRegistry()
    private static let once: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static func bootstrapOnce() { _ = once }
}
