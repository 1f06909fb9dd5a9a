import ExamCore
import Foundation
import Yams

/// Reads the proctoring policy from `<Exams>/proctoring/policy.yaml` (a subfolder, so the standards
/// loader does not take it for a standard). No file: ``ProctoringPolicy/standard``.
public enum ProctoringPolicyLoader {
    public static func path(in examsDirectory: String) -> String {
        ((examsDirectory as NSString).appendingPathComponent("proctoring") as NSString).appendingPathComponent("policy.yaml")
    }

    /// The policy of an `Exams` folder, or every problem found in its file.
    public static func load(examsDirectory: String) -> Result<ProctoringPolicy, StandardIssues> {
        let file = path(in: examsDirectory)
        guard let data = FileManager.default.contents(atPath: file) else { return .success(.standard) }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(StandardIssues([StandardFileIssue(file: file, path: "", line: nil, message: "the file is not UTF-8 text")]))
        }
        return parse(text, file: file)
    }

    public static func parse(_ text: String, file: String) -> Result<ProctoringPolicy, StandardIssues> {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else { return .success(.standard) }
            node = composed
        } catch {
            return .failure(StandardIssues([StandardFileIssue(file: file, path: "", line: nil, message: "YAML syntax error: \(error)")]))
        }
        var issues = UnknownKeyCheck.unknownKeys(in: node, allowed: keys).map {
            StandardFileIssue(file: file, path: $0.path, line: $0.line, message: $0.message)
        }
        let written: Written
        do {
            written = try YAMLDecoder().decode(Written.self, from: node)
        } catch {
            issues.append(StandardFileIssue(file: file, path: "", line: nil, message: describe(error)))
            return .failure(StandardIssues(issues))
        }
        let defaults = ProctoringPolicy.standard
        let policy = ProctoringPolicy(
            snapshotIntervalSeconds: written.snapshotIntervalSeconds ?? defaults.snapshotIntervalSeconds,
            snapshotMaxBytes: written.snapshotMaxKiB.map { $0 * 1024 } ?? defaults.snapshotMaxBytes,
            coverageGapSeconds: written.coverageGapSeconds ?? defaults.coverageGapSeconds,
            rules: written.rules?.map { .init(events: $0.events, count: $0.count, action: $0.action, message: $0.message) } ?? defaults.rules
        )
        issues += policy.problems().map { StandardFileIssue(file: file, path: "", line: nil, message: $0) }
        return issues.isEmpty ? .success(policy) : .failure(StandardIssues(issues))
    }

    private static let keys: [String: Set<String>] = [
        "": ["schema", "snapshot_interval_seconds", "snapshot_max_kib", "coverage_gap_seconds", "rules"],
        "rules[]": ["events", "count", "action", "message"],
    ]

    private struct Written: Decodable {
        struct Rule: Decodable {
            var events: [ProctorEventKind]
            var count: Int
            var action: ProctoringPolicy.Action
            var message: String
        }

        var snapshotIntervalSeconds: Int?
        var snapshotMaxKiB: Int?
        var coverageGapSeconds: Int?
        var rules: [Rule]?

        enum CodingKeys: String, CodingKey {
            case snapshotIntervalSeconds = "snapshot_interval_seconds"
            case snapshotMaxKiB = "snapshot_max_kib"
            case coverageGapSeconds = "coverage_gap_seconds"
            case rules
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .dataCorrupted(let context):
            let kinds = ProctorEventKind.allCases.map(\.rawValue).joined(separator: ", ")
            let actions = ProctoringPolicy.Action.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(path(context)): not a known value (events: \(kinds); actions: \(actions))"
        case .keyNotFound(let key, let context): return "\(path(context)): missing \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)): wrong kind of value"
        @unknown default: return "\(error)"
        }
    }
}

/// Problems found in a configuration file, as one error.
public struct StandardIssues: Error, Sendable, CustomStringConvertible {
    public var issues: [StandardFileIssue]
    public init(_ issues: [StandardFileIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
