import Accounts
import ArgumentParser
import ExamCore
import ExamServer
import Foundation
import Storage

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list, disable and enable accounts.",
        subcommands: [Add.self, List.self, Occupations.self, Disable.self, Enable.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account with one or more roles.",
            discussion: """
                Roles: \(Role.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", ")).
                The password comes from standard input with --password-stdin (one line), or is generated
                and printed once with --generate-password. Passwords need 8+ characters and must not be
                on the list of common passwords.
                """
        )

        @OptionGroup var options: DataOptions

        @Argument(help: "Login name: 3–64 of a-z 0-9 . _ - @.")
        var username: String

        @Option(name: .customLong("name"), help: "Display name, e.g. 王敏.")
        var displayName: String

        @Option(name: .customLong("role"), help: "A role code (repeat or comma-separate for several).")
        var roles: [String]

        @Option(name: .customLong("occupation"), help: "An occupation code the person works in, e.g. 2-02-10-09 (repeat or comma-separate).")
        var occupations: [String] = []

        @OptionGroup var standards: Bank.StandardsOption

        @Flag(help: "Read the password from standard input.")
        var passwordStdin = false

        @Flag(help: "Generate a strong password and print it once.")
        var generatePassword = false

        func validate() throws {
            if passwordStdin == generatePassword {
                throw ValidationError("give exactly one of --password-stdin or --generate-password")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let password: String
                if generatePassword {
                    password = PasswordPolicy.generatedPassword()
                } else {
                    guard let line = readLine(strippingNewline: true) else {
                        throw ExamError.invalid("no_password", "no password on standard input")
                    }
                    password = line
                }
                let database = try DataDirectory(path: options.data).open()
                let account = try await UsersCommandSupport.withAccountService(database, standards: occupations.isEmpty ? nil : standards) { service in
                    try await service.create(
                        .init(username: username, displayName: displayName, roles: roles, occupations: occupations, password: password),
                        actor: Init.operatorActor
                    )
                }
                let scope = account.occupations.isEmpty ? "" : ", occupations \(account.occupations.map(\.rawValue).joined(separator: ", "))"
                say("Added \(account.username) (\(account.displayName)) with roles \(account.roles.map(\.rawValue).joined(separator: ", "))\(scope).")
                if generatePassword { say("Password (shown once): \(password)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their roles and state.")

        @OptionGroup var options: DataOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let accounts = try await DataDirectory(path: options.data).open().store.accounts.list()
                if json {
                    let rows = accounts.map {
                        ["username": $0.username, "displayName": $0.displayName, "roles": $0.roles.map(\.rawValue).joined(separator: ","),
                         "occupations": $0.occupations.map(\.rawValue).joined(separator: ","), "disabled": $0.disabled ? "true" : "false"]
                    }
                    let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
                    say(String(decoding: data, as: UTF8.self))
                    return
                }
                say("USERNAME            STATE     ROLES                          NAME")
                for account in accounts {
                    let roles = account.roles.map(\.rawValue).joined(separator: ",")
                    say(
                        account.username.padding(toLength: 19, withPad: " ", startingAt: 0) + " "
                            + (account.disabled ? "disabled" : "active").padding(toLength: 9, withPad: " ", startingAt: 0) + " "
                            + roles.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + account.displayName
                    )
                }
                say("\(accounts.count) account(s)")
            }
        }
    }

    struct Occupations: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the occupations a staff member works in.",
            discussion: """
                Item authors write items, and review other authors' items, only in their occupations.
                `--set` replaces the list (codes from Exams/, comma-separated); `--set ''` clears it.
                """
        )
        @OptionGroup var options: DataOptions
        @OptionGroup var standards: Bank.StandardsOption
        @Argument(help: "The login name.") var username: String
        @Option(help: ArgumentHelp("The new list of occupation codes.", valueName: "codes")) var set: String?

        func run() async throws {
            try await reportingErrors {
                let database = try DataDirectory(path: options.data).open()
                let name = try Username.normalise(username)
                guard var account = try await database.store.accounts.account(username: name) else {
                    throw ExamError(.notFound, code: "not_found", message: "no account named \(name)")
                }
                if let set {
                    account = try await UsersCommandSupport.withAccountService(database, standards: standards) { service in
                        try await service.setOccupations(account.id, occupations: [set], actor: Init.operatorActor)
                    }
                }
                say("\(name): " + (account.occupations.isEmpty ? "no occupations" : account.occupations.map(\.rawValue).joined(separator: ", ")))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login name.") var username: String

        func run() async throws {
            try await UsersCommandSupport.setDisabled(username, true, data: options.data)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-enable a disabled account.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The login name.") var username: String

        func run() async throws {
            try await UsersCommandSupport.setDisabled(username, false, data: options.data)
        }
    }
}

enum UsersCommandSupport {
    /// Runs `body` with an account service whose hashing thread is stopped afterwards, whatever happens.
    /// With `standards`, occupation codes are checked against them.
    static func withAccountService<T: Sendable>(
        _ database: SQLiteDatabase, standards: Bank.StandardsOption? = nil, _ body: (AccountService) async throws -> T
    ) async throws -> T {
        let known = try standards.map { Set(try $0.load().map(\.code)) }
        let service = AccountService(
            store: database.store, hasher: Argon2PasswordHasher(), hashing: PasswordHashingPool(threads: 1, queueLimit: 8),
            clock: SystemWallClock(), knownOccupations: known
        )
        do {
            let result = try await body(service)
            try await service.hashing.shutdown()
            return result
        } catch {
            try? await service.hashing.shutdown()
            throw error
        }
    }

    static func setDisabled(_ username: String, _ disabled: Bool, data: String) async throws {
        try await reportingErrors {
            let database = try DataDirectory(path: data).open()
            let name = try Username.normalise(username)
            guard let account = try await database.store.accounts.account(username: name) else {
                throw ExamError(.notFound, code: "not_found", message: "no account named \(name)")
            }
            _ = try await withAccountService(database) { service in
                try await service.setDisabled(account.id, disabled: disabled, actor: Init.operatorActor)
            }
            say("\(name) is now \(disabled ? "disabled; its sessions have ended" : "enabled").")
        }
    }

}
