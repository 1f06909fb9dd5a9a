import ArgumentParser
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Storage

struct Paper: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Paper assembly (组卷): parallel forms from a blueprint, with a conformance report.",
        subcommands: [Assemble.self]
    )

    struct Assemble: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assemble parallel forms of one part of one level and print the conformance report.",
            discussion: """
                Uses the blueprint in Exams/blueprints/<exam>.yaml and the items papers may use (approved,
                not retired, within the exposure cap); reads metadata only, so the bank may stay sealed.
                The same request and seed give the same forms. When the bank cannot support the request,
                the report says what is short (e.g. a 职业功能's points or a section's items) and the
                exit status is 2.
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
        @Flag(help: "Print the report and forms as JSON.") var json = false

        func run() async throws {
            let result = try await reportingErrors { () async throws -> AssemblyResult in
                let catalog = try standards.load()
                guard let standard = catalog.first(where: { $0.code.rawValue == exam }) else {
                    throw ExamError.invalid("unknown_exam", "no standard \(exam) in \(standards.exams) (known: \(catalog.map(\.code.rawValue).joined(separator: ", ")))")
                }
                guard let level = Level(rawValue: level) else {
                    throw ExamError.invalid("unknown_level", "level must be 初级, 中级 or 高级")
                }
                let part: ExamPart
                switch self.part {
                case "theory", "理论", "理论知识": part = .theory
                case "practical", "ability", "专业能力", "实操": part = .ability
                default: throw ExamError.invalid("unknown_part", "part must be theory or practical")
                }
                let file = try BlueprintLoader.load(directory: blueprints, standard: standard)
                guard let blueprint = file.blueprint(level: level, part: part) else {
                    throw ExamError.invalid("no_blueprint", "\(blueprints)/\(exam).yaml has no blueprint for \(level.rawValue) \(self.part)")
                }
                let direction = try Self.direction(direction, standard: standard, level: level, part: part)
                let store = try DataDirectory(path: options.data).openReadOnly().store
                let items = try await store.items.items(ItemFilter(occupation: standard.code, usable: true)).compactMap { summary in
                    summary.activeVersion.map { AssemblyItem(id: summary.metadata.id, version: $0, metadata: summary.metadata, exposure: summary.exposureCount) }
                }
                return try Assembler.assemble(
                    AssemblyRequest(standard: standard, blueprint: blueprint, direction: direction, forms: forms, seed: seed, moves: moves),
                    items: items
                )
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let output = Output(report: result.report, forms: result.forms, timing: .init(result))
                say(String(decoding: try encoder.encode(output), as: UTF8.self))
            } else {
                say(ReportText.render(result))
            }
            if !result.feasible { throw ExitCode(2) }
        }

        /// The direction asked for, or the one direction that makes no difference.
        static func direction(_ name: String?, standard: OccupationStandard, level: Level, part: ExamPart) throws -> Direction {
            let spec = standard.levels.first { $0.level == level }
            let directions = (spec?.directions.isEmpty ?? true) ? [Direction.undivided] : spec!.directions
            if let name {
                guard directions.contains(Direction(name)) else {
                    throw ExamError.invalid("unknown_direction", "\(name) is no direction of \(standard.code) at \(level.rawValue) (known: \(directions.map(\.name).joined(separator: ", ")))")
                }
                return Direction(name)
            }
            if directions.count == 1 { return directions[0] }
            let columns: [[String: Int]] = part == .theory
                ? standard.weights.theory.filter { $0.level == level }.map { $0.basic.merging($0.related) { first, _ in first } }
                : standard.weights.ability.filter { $0.level == level }.map(\.functions)
            guard Set(columns).count <= 1 else {
                throw ExamError.invalid(
                    "direction_required", "the weight tables of \(level.rawValue) differ by direction; give --direction (one of: \(directions.map(\.name).joined(separator: ", ")))"
                )
            }
            return directions[0]
        }
    }

    struct Output: Encodable {
        var report: ConformanceReport
        var forms: [AssembledForm]
        var timing: Timing

        struct Timing: Encodable {
            var firstFeasibleSeconds: Double?
            var elapsedSeconds: Double
            var moves: Int
            var stoppedByTime: Bool

            init(_ result: AssemblyResult) {
                firstFeasibleSeconds = result.firstFeasible.map(ReportText.seconds)
                elapsedSeconds = ReportText.seconds(result.elapsed)
                moves = result.movesMade
                stoppedByTime = result.stoppedByTime
            }
        }
    }
}

/// The conformance report as a table a quality supervisor can read line by line.
enum ReportText {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

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
        let first = result.firstFeasible.map { String(format: "first feasible forms after %.3f s; ", seconds($0)) } ?? ""
        lines.append(
            (report.feasible ? "Feasible: every hard constraint is met" : "NOT FEASIBLE: the best forms found still break constraints")
                + " (\(first)\(result.movesMade) moves in \(String(format: "%.3f", seconds(result.elapsed))) s\(result.stoppedByTime ? ", stopped by the time limit" : ""))"
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
