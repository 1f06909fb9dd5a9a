import ArgumentParser
import ExamCore
import ExamServer
import Foundation
import ItemBank
import Storage

struct Roster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Candidate rosters (报名花名册): register many candidates with their applications at once.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a roster (CSV UTF-8 or XLSX), all or nothing.",
            discussion: """
                Columns (first row; order free): 姓名, 证件类型, 证件号码, 职业编码, 等级 (required); 用户名, 性别,
                出生日期, 方向, 学历, 在读应届, 所学专业, 相关专业, 职称, 职称取得时间, 证书等级, 证书取得时间,
                证书编号, 从事本职业年限, 培训学时, 工作单位. Each row becomes a candidate account (用户名, or
                c + the document number) with one submitted application checked by the eligibility engine.
                A roster with any bad row imports nothing and lists every problem as FILE:LINE. Initial
                passwords are shown once: printed, or written to --credentials (mode 0600).
                """
        )
        @OptionGroup var options: DataOptions
        @OptionGroup var standards: Bank.StandardsOption
        @Argument(help: "The roster file (.csv or .xlsx).") var file: String
        @Option(help: ArgumentHelp("Write usernames and initial passwords to this CSV file (mode 0600).", valueName: "file"))
        var credentials: String?

        func run() async throws {
            try await reportingErrors {
                let rows = try SpreadsheetRows.read(path: file)
                let catalog = try standards.load()
                let database = try DataDirectory(path: options.data).open()
                let imported: [RegistrationService.RosterCredential]
                do {
                    imported = try await UsersCommandSupport.withAccountService(database) { accounts in
                        try await RegistrationService(
                            store: database.store, standards: catalog, accounts: accounts,
                            commitment: RegistrationService.commitmentText(examsDirectory: standards.exams), clock: SystemWallClock()
                        ).importRoster(rows: rows, file: file, actor: Init.operatorActor)
                    }
                } catch let failure as RosterFailure {
                    for problem in failure.problems { complain(problem) }
                    complain("nothing imported: \(failure.problems.count) problem(s)")
                    throw ExitCode(1)
                }
                let lines = ["line,username,name,password,application,eligible,clause"] + imported.map {
                    "\($0.line),\($0.username),\($0.name),\($0.password),\($0.application),\($0.eligible ? "yes" : "no"),\($0.clause ?? "")"
                }
                if let credentials {
                    guard FileManager.default.createFile(
                        atPath: credentials, contents: Data((lines.joined(separator: "\n") + "\n").utf8), attributes: [.posixPermissions: 0o600]
                    ) else { throw ExamError(.unavailable, code: "cannot_write", message: "cannot write \(credentials)") }
                } else {
                    for line in lines { say(line) }
                }
                let eligible = imported.filter(\.eligible).count
                say("Imported \(imported.count) candidate(s) with their applications (\(eligible) eligible by the rules, \(imported.count - eligible) not); review them in the application queue.")
            }
        }
    }
}
