import ArgumentParser
import ExamCore
import ExamServer
import Foundation
import ItemBank
import PaperAssembly
import Storage

struct Paper: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Paper assembly (组卷): parallel forms from a blueprint, with a conformance report.",
        subcommands: [Assemble.self, List.self, Show.self, Seal.self, Discard.self]
    )

    struct Assemble: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assemble parallel forms of one part of one level and print the conformance report.",
            discussion: """
                Uses the blueprint in Exams/blueprints/<exam>.yaml and the items papers may use (approved,
                not retired, within the exposure cap); reads metadata only, so the bank may stay sealed.
                The same request and seed give the same forms. When the bank cannot support the request,
                the report says what is short (e.g. a 职业功能's points or a section's items) and the
                exit status is 2. With --save the forms are stored as papers (item versions pinned,
                exposure counted) for `assay paper seal`; --replace discards an earlier assembly that
                was not released, in the same step.
                """
        )
        @OptionGroup var options: DataOptions
        @OptionGroup var standards: Bank.StandardsOption
        @Option(help: ArgumentHelp("Occupation code, e.g. 2-02-10-09.", valueName: "code")) var exam: String
        @Option(help: ArgumentHelp("初级, 中级 or 高级.", valueName: "level")) var level: String
        @Option(help: ArgumentHelp("Direction (required when the level's directions weigh differently).", valueName: "direction"))
        var direction: String?
        @Option(help: ArgumentHelp("theory (理论知识) or practical (专业能力).", valueName: "part")) var part: String
        @Option(help: "Number of parallel forms.") var forms: Int = 1
        @Option(help: "Seed: the same seed gives the same forms.") var seed: UInt64 = 1
        @Option(help: "Local-search moves (more can only improve the objective).") var moves: Int = 200_000
        @Option(help: ArgumentHelp("The blueprints' folder.", valueName: "dir")) var blueprints: String = "Exams/blueprints"
        @Flag(help: "Store the forms as papers.") var save = false
        @Option(help: ArgumentHelp("With --save: the assembly the new one replaces (refused once released).", valueName: "id"))
        var replace: String?
        @Flag(help: "Print the report and forms as JSON.") var json = false

        func run() async throws {
            let request = PaperService.Request(
                exam: exam, level: level, direction: direction, part: part, forms: forms, seed: seed, moves: moves
            )
            var saved: PaperAssemblyRecord?
            let result = try await reportingErrors { () async throws -> AssemblyResult in
                if replace != nil && !save { throw ExamError.invalid("replace_needs_save", "--replace goes with --save") }
                let catalog = try standards.load()
                if save {
                    let database = try DataDirectory(path: options.data).open()
                    let service = PaperService(store: database.store, standards: catalog, blueprints: blueprints)
                    let preview = try await service.assemble(request)
                    guard preview.result.feasible else { return preview.result }
                    let (record, stored) = try await service.save(preview, replacing: replace, actor: Init.operatorActor)
                    saved = record
                    return stored.result
                }
                let store = try DataDirectory(path: options.data).openReadOnly().store
                return try await PaperService(store: store, standards: catalog, blueprints: blueprints).assemble(request).result
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let output = Output(assembly: saved?.id, report: result.report, forms: result.forms, timing: .init(result))
                say(String(decoding: try encoder.encode(output), as: UTF8.self))
            } else {
                say(ReportText.render(result))
                if let saved {
                    say("")
                    say("Saved as \(saved.id) (papers \((1...saved.forms).map { "\(saved.id)-F\($0)" }.joined(separator: ", "))); seal it with `assay paper seal \(saved.id)`.")
                }
            }
            if !result.feasible { throw ExitCode(2) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List assemblies, newest first.")
        @OptionGroup var options: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let assemblies = try await DataDirectory(path: options.data).openReadOnly().store.papers.assemblies()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    encoder.dateEncodingStrategy = .iso8601
                    say(String(decoding: try encoder.encode(assemblies.map { AssemblyView($0) }), as: UTF8.self))
                    return
                }
                for assembly in assemblies {
                    say("\(assembly.id)  \(assembly.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(assembly.occupation) \(assembly.level.rawValue) \(assembly.direction) \(assembly.part.rawValue)  \(assembly.forms) form(s)  seed \(assembly.seed)")
                }
                say("\(assemblies.count) assembl\(assemblies.count == 1 ? "y" : "ies")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an assembly: its report and each paper's items (no content).")
        @OptionGroup var options: DataOptions
        @Argument(help: "The assembly ID (ASM-…).") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let store = try DataDirectory(path: options.data).openReadOnly().store
                guard let assembly = try await store.papers.assembly(id: id) else {
                    throw ExamError(.notFound, code: "not_found", message: "no assembly \(id)")
                }
                let papers = try await store.papers.papers(of: id)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    encoder.dateEncodingStrategy = .iso8601
                    say(String(decoding: try encoder.encode(AssemblyView(assembly, papers: papers)), as: UTF8.self))
                    return
                }
                say("\(assembly.id): \(assembly.status.rawValue), \(assembly.occupation) \(assembly.level.rawValue) \(assembly.direction) \(assembly.part.rawValue), seed \(assembly.seed), blueprint \(assembly.blueprintSHA256.prefix(12))…, by \(assembly.createdBy)")
                for paper in papers {
                    let state = paper.releasedAt != nil ? "released" : paper.sealed != nil ? "sealed" : "not sealed"
                    say("  \(paper.id): \(paper.items.count) items, \(ReportText.number(paper.totalPoints)) points, mean difficulty \(String(format: "%.3f", paper.difficultyMean)), \(state)")
                    say("    " + paper.items.map { "\($0.itemID)@\($0.version)" }.joined(separator: " "))
                }
            }
        }
    }

    struct Seal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal an assembly's papers: each becomes a package encrypted under its own key wrapped by the bank key.",
            discussion: "Reads the pinned item versions, so it needs the threshold of custodians' shares (one per --share-file)."
        )
        @OptionGroup var options: DataOptions
        @Argument(help: "The assembly ID (ASM-…).") var id: String
        @Option(name: .customLong("share-file"), help: "A file holding one share (repeat).") var shareFiles: [String]

        func run() async throws {
            try await reportingErrors {
                let shares = try BankSupport.readShares(shareFiles)
                let database = try DataDirectory(path: options.data).open()
                guard let record = try await database.store.items.bankKey() else {
                    throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet")
                }
                let bank = try BankKeyCeremony.unseal(record, shares: shares)
                let papers = try await PaperService(store: database.store, standards: [], blueprints: "").seal(id, bank: bank, actor: Init.operatorActor)
                say("Sealed \(papers.count) paper(s) of \(id): \(papers.map(\.id).joined(separator: ", ")).")
            }
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Discard an assembly that was not released; its items get their exposure back.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The assembly ID (ASM-…).") var id: String

        func run() async throws {
            try await reportingErrors {
                let database = try DataDirectory(path: options.data).open()
                try await PaperService(store: database.store, standards: [], blueprints: "").discard(id, actor: Init.operatorActor)
                say("Discarded \(id).")
            }
        }
    }

    struct Output: Encodable {
        var assembly: String?
        var report: ConformanceReport
        var forms: [AssembledForm]
        var timing: Timing

        struct Timing: Encodable {
            var firstFeasibleSeconds: Double?
            var elapsedSeconds: Double
            var moves: Int
            var stoppedByTime: Bool

            init(_ result: AssemblyResult) {
                firstFeasibleSeconds = result.firstFeasible?.inSeconds
                elapsedSeconds = result.elapsed.inSeconds
                moves = result.movesMade
                stoppedByTime = result.stoppedByTime
            }
        }
    }
}

/// The conformance report as a table a quality supervisor can read line by line.
enum ReportText {

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }

    static func render(_ result: AssemblyResult) -> String {
        let report = result.report
        var lines = [
            "\(report.occupation) · \(report.level) · \(report.direction) · \(report.part) · \(report.formsRequested) form(s) · seed \(report.seed)"
        ]
        if !report.proven.isEmpty {
            lines.append("INFEASIBLE: the bank cannot support this request:")
            lines += report.proven.map { "  - \($0)" }
            return lines.joined(separator: "\n")
        }
        let first = result.firstFeasible.map { String(format: "first feasible forms after %.3f s; ", $0.inSeconds) } ?? ""
        lines.append(
            (report.feasible ? "Feasible: every hard constraint is met" : "NOT FEASIBLE: the best forms found still break constraints")
                + " (\(first)\(result.movesMade) moves in \(String(format: "%.3f", result.elapsed.inSeconds)) s\(result.stoppedByTime ? ", stopped by the time limit" : ""))"
        )
        lines.append("Objective Σ|Σ difficulty − \(number(report.difficultyTarget)) × items| = \(String(format: "%.4f", report.objective))")
        for form in report.forms {
            lines.append("")
            lines.append("Form \(form.form): \(form.items) items, \(number(form.points)) points, mean difficulty \(String(format: "%.3f", form.difficultyMean))")
            lines.append("  " + ["KIND", "KEY", "TARGET", "RANGE", "ACHIEVED", "OK", "NAME"].enumerated().map { pad($1, [10, 7, 7, 13, 9, 3, 0][$0]) }.joined())
            for row in form.rows {
                let range = "\(number(row.lower))–\(row.upper.map(number) ?? "∞")"
                lines.append("  " + [row.kind, row.key, number(row.target), range, number(row.achieved), row.met ? "✓" : "✗", row.name]
                    .enumerated().map { pad($1, [10, 7, 7, 13, 9, 3, 0][$0]) }.joined())
            }
        }
        if let across = report.across {
            lines.append("")
            lines.append("Across forms: difficulty means \(across.difficultyMeans.map { String(format: "%.3f", $0) }.joined(separator: ", ")) (spread \(String(format: "%.3f", across.difficultySpread)))")
            lines.append("  most items shared by two forms: \(across.mostShared) (allowed \(across.sharedAllowed)); items used: \(across.itemsUsed)")
            lines.append("  exposure of the items used: at most \(across.exposureBefore) paper(s) before, \(across.exposureAfter) after (cap \(across.exposureCap))")
        }
        if !report.unmet.isEmpty {
            lines.append("")
            lines.append("Unmet:")
            lines += report.unmet.map { "  - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Pads to a display width, counting CJK characters as two columns.
    static func pad(_ text: String, _ width: Int) -> String {
        let shown = text.reduce(0) { $0 + ($1.unicodeScalars.first.map { $0.value >= 0x2E80 ? 2 : 1 } ?? 1) }
        return text + String(repeating: " ", count: max(1, width - shown))
    }
}
