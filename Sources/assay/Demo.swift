import ArgumentParser
import ExamCore
import ExamServer
import ExamStandards
import Foundation
import ItemBank
import Storage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seed a demo evaluation body with one account per role, then serve it.",
        discussion: """
            Initialises the data directory if needed, checks the shipped standards, creates the demo
            accounts that are missing (passwords below are public: never use a demo directory for real
            exams) and serves. With --no-serve it stops after seeding.
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var server: ServerOptions

    @Flag(help: "Seed only; do not start the server.")
    var noServe = false

    @Flag(
        inversion: .prefixedNo,
        help: "Also seed a finished batch (a theory and a practical sitting two days ago, handed in, mostly marked) for marking and results. Default: on when serving."
    )
    var finishedBatch: Bool?

    /// The body code that marks a data directory as a demo.
    static let bodyCode = "DEMO"

    /// The demo accounts: username, display name, role, password.
    static let accounts: [(String, String, Role, String)] = [
        ("admin", "王敏", .bodyAdmin, "jade-river-4821"),
        ("examadmin", "李娜", .examAdmin, "amber-field-3390"),
        ("author", "张伟", .itemAuthor, "quiet-pine-7714"),
        ("custodian", "刘洋", .bankCustodian, "silver-key-5086"),
        ("examiner", "陈静", .examiner, "north-bridge-2649"),
        ("supervisor", "赵磊", .supervisor, "clear-lake-9132"),
        ("candidate", "孙悦", .candidate, "bright-path-6275"),
    ]

    /// Where the demo keeps its custodians' shares: in the data directory, which a real bank must
    /// never do (anyone with the directory could unseal). The name says so.
    static let insecureSharesFolder = "INSECURE-DEMO-SHARES"

    /// Creates the demo bank's keys (3 of 5, shares kept insecurely in the data directory) and imports
    /// the shipped items in `itembank/`, once.
    static func seedBank(database: SQLiteDatabase, directory: DataDirectory, standards: [OccupationStandard]) async throws -> String {
        let service = BankService(store: database.store, standards: standards)
        let sharesPath = (directory.path as NSString).appendingPathComponent(insecureSharesFolder)
        if try await database.store.items.bankKey() == nil {
            let shares = try await service.initialise(custodians: 5, threshold: 3, actor: Init.operatorActor)
            try BankSupport.writeShares(shares, to: sharesPath)
        }
        if try await database.store.items.count() == 0, FileManager.default.fileExists(atPath: "itembank") {
            let files = try BankSupport.files(["itembank"])
            if !files.isEmpty {
                _ = try await service.importFiles(files, status: .active, actor: Init.operatorActor)
            }
        }
        let count = try await database.store.items.count()
        return "Item bank: \(count) items, sealed; demo custodian shares (INSECURE, demo only) in \(sharesPath)"
    }

    func run() async throws {
        try await reportingErrors {
            let catalog = StandardLoader.load(path: server.exams)
            guard catalog.isValid else {
                for issue in catalog.issues { complain(issue.description) }
                throw ExamError.invalid("invalid_standards", "the standards in \(server.exams) have errors")
            }
            let directory = DataDirectory(path: data.data)
            if !directory.isInitialised {
                _ = try await Init.initialise(directory, name: "示范数字技术工程师评价机构", code: Self.bodyCode)
            }
            let database = try directory.open()
            // Never plant accounts with published passwords in a real body's directory.
            guard try await database.store.body.profile()?.code == Self.bodyCode else {
                throw ExamError(
                    .conflict, code: "not_a_demo_directory",
                    message: "\(directory.path) belongs to a real body; run the demo in another directory (--data DIR)"
                )
            }
            let administrationNotes = try await UsersCommandSupport.withAccountService(database) { service in
                for (username, name, role, password) in Self.accounts where role != .candidate {
                    guard try await database.store.accounts.account(username: username) == nil else { continue }
                    // Staff who work per occupation work in every demo occupation.
                    let scoped: Set<Role> = [.itemAuthor, .examiner, .supervisor]
                    _ = try await service.create(
                        .init(
                            username: username, displayName: name, roles: [role.rawValue],
                            occupations: scoped.contains(role) ? catalog.standards.map(\.code.rawValue) : [], password: password
                        ),
                        actor: Init.operatorActor
                    )
                }
                // The demo candidate registers like any candidate: with an identity document.
                if let (username, name, _, password) = Self.accounts.first(where: { $0.2 == .candidate }),
                    try await database.store.accounts.account(username: username) == nil {
                    _ = try await RegistrationService(
                        store: database.store, standards: catalog.standards, accounts: service,
                        commitment: RegistrationService.commitmentText(examsDirectory: server.exams), clock: SystemWallClock()
                    ).register(.init(username: username, password: password, name: name, idType: .residentID, idNumber: DemoAdministration.residentID(0)))
                }
                return try await DemoAdministration.seed(
                    database: database, accounts: service, standards: catalog.standards, examsDirectory: server.exams
                )
            }
            let bankNote = try await Self.seedBank(database: database, directory: directory, standards: catalog.standards)
            let shareFiles = (try? FileManager.default.contentsOfDirectory(atPath: (directory.path as NSString).appendingPathComponent(Self.insecureSharesFolder))) ?? []
            let mockNote = try await DemoAdministration.mockSitting(
                database: database, directory: directory, standards: catalog.standards,
                blueprints: (server.exams as NSString).appendingPathComponent("blueprints"),
                shares: try BankSupport.readShares(
                    shareFiles.sorted().prefix(3).map { ((directory.path as NSString).appendingPathComponent(Self.insecureSharesFolder) as NSString).appendingPathComponent($0) }
                ),
                startIn: noServe ? 3600 : 240
            )
            var finishedNote: String?
            if finishedBatch ?? !noServe {
                finishedNote = try await DemoAdministration.finishedBatch(
                    database: database, directory: directory, standards: catalog.standards,
                    blueprints: (server.exams as NSString).appendingPathComponent("blueprints"),
                    shares: try BankSupport.readShares(
                        shareFiles.sorted().prefix(3).map { ((directory.path as NSString).appendingPathComponent(Self.insecureSharesFolder) as NSString).appendingPathComponent($0) }
                    )
                )
            }
            try await database.store.audit.checkpoint()
            var lines: [String] = []
            for (username, _, role, password) in Self.accounts {
                lines.append("  \(role.chineseName.padding(toLength: 6, withPad: "　", startingAt: 0)) \(role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(username.padding(toLength: 11, withPad: " ", startingAt: 0)) \(password)")
            }
            let standards = catalog.standards.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
            say("Demo data in \(directory.path): standards \(standards)")
            say(bankNote)
            for note in administrationNotes { say(note) }
            if let mockNote { say(mockNote) }
            if let finishedNote { say(finishedNote) }
            say("Demo logins (role, code, username, password):")
            for line in lines { say(line) }
            if !noServe {
                let host = server.host
                try await server.serve(data: data.data) { port in
                    say("Open http://\(host):\(port)/ and log in with one of the accounts above. Ctrl-C stops the server.")
                }
            }
        }
    }
}
