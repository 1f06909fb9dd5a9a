import ArgumentParser
import ExamCore
import ItemBank
import Foundation
import Logging

@main
struct Assay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Assay: the examination and proctoring engine for digital-technology engineer evaluation.",
        discussion: """
            An evaluation body (评价机构) keeps everything in one data directory (--data, default ./data):
            a SQLite database and the body's signing key. Start with `assay init`, add staff with
            `assay users add`, check the occupation standards with `assay exams check`, serve with
            `assay serve`, and verify the audit record with `assay audit verify`. `assay demo` does
            all of it with demo accounts.
            """,
        subcommands: [Init.self, Serve.self, Demo.self, Users.self, Exams.self, Bank.self, Paper.self, Roster.self, AuditCommand.self]
    )
}

/// The data directory option every command that touches data shares.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The data directory.", valueName: "dir"))
    var data: String = "./data"
}

/// Prints to stdout and flushes, so scripts reading a pipe see lines at once.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Prints an error line to stderr.
func complain(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs `body`, turning domain errors and refused item files into clear messages and exit status 1.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExamError {
        complain("error: \(error.message) [\(error.code)]")
        throw ExitCode(1)
    } catch let failure as ItemImportFailure {
        for issue in failure.issues { complain(issue.description) }
        complain("nothing imported: \(failure.issues.count) problem(s)")
        throw ExitCode(1)
    }
}

func makeLogger(level: String) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = Logger.Level(rawValue: level) ?? .info
        return handler
    }
    var logger = Logger(label: "assay")
    logger.logLevel = Logger.Level(rawValue: level) ?? .info
    return logger
}
