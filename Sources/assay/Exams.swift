import ArgumentParser
import ExamCore
import ExamStandards
import Foundation

struct Exams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the occupation standards held as data (Exams/*.yaml).",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate occupation standards: a file, or every .yaml file in a folder.",
            discussion: """
                Checks the schema, levels and directions, timing and staffing rules, the 鉴定点 tree,
                that every weight column sums to 100 and names existing levels, directions and codes,
                and the eligibility clauses (docs/EXAMS.md lists every rule). For a folder, also the
                proctoring policy (proctoring/policy.yaml) when present. Each problem is printed
                as FILE:LINE: YAML-PATH: what is wrong. Exit status 1 when any problem is found.
                """
        )

        @Argument(help: "A standards file or folder.")
        var path: String = "Exams"

        func run() async throws {
            let catalog = StandardLoader.load(path: path)
            var isDirectory: ObjCBool = false
            var policyIssues: [StandardFileIssue] = []
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                case .failure(let problems) = ProctoringPolicyLoader.load(examsDirectory: path) {
                policyIssues = problems.issues
            }
            for issue in catalog.issues + policyIssues { complain(issue.description) }
            if !catalog.isValid || !policyIssues.isEmpty {
                complain("\(catalog.issues.count + policyIssues.count) problem(s) in \(catalog.files.count + (policyIssues.isEmpty ? 0 : 1)) file(s)")
                throw ExitCode(1)
            }
            for standard in catalog.standards {
                let levels = standard.levels.map { "\($0.level.rawValue)(\($0.directions.count) 方向)" }.joined(separator: " ")
                let points = standard.functions.flatMap(\.contents).flatMap(\.points).count
                say("ok  \(standard.code)  \(standard.name)  \(levels)  \(points) 鉴定点")
            }
            say("\(catalog.standards.count) standard(s) valid")
        }
    }
}
