import ExamCore
import ExamStandards
import Foundation
import Testing

@Suite struct ProctoringPolicyLoaderTests {
    @Test func theShippedPolicyLoadsAndEqualsTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try ProctoringPolicyLoader.load(examsDirectory: root.appendingPathComponent("Exams").path).get()
        #expect(policy == ProctoringPolicy.standard)
    }

    @Test func aMissingFileMeansTheDefaults() throws {
        #expect(try ProctoringPolicyLoader.load(examsDirectory: "/nonexistent").get() == .standard)
    }

    @Test func valuesOverrideTheDefaults() throws {
        let text = """
            snapshot_interval_seconds: 30
            coverage_gap_seconds: 90
            rules:
              - events: [paste]
                count: 2
                action: incident
                message: 粘贴两次
            """
        let policy = try ProctoringPolicyLoader.parse(text, file: "policy.yaml").get()
        #expect(policy.snapshotIntervalSeconds == 30 && policy.coverageGapSeconds == 90 && policy.snapshotMaxBytes == ProctoringPolicy.standard.snapshotMaxBytes)
        #expect(policy.rules == [.init(events: [.paste], count: 2, action: .incident, message: "粘贴两次")])
    }

    @Test func typosUnknownEventsAndBadNumbersAreReported() {
        func issues(_ text: String) -> [String] {
            switch ProctoringPolicyLoader.parse(text, file: "policy.yaml") {
            case .success: []
            case .failure(let problems): problems.issues.map(\.description)
            }
        }
        #expect(issues("snapshot_intervall_seconds: 30").contains { $0.contains("unknown key 'snapshot_intervall_seconds'") })
        #expect(issues("rules:\n  - events: [teleport]\n    count: 1\n    action: warn\n    message: x").contains { $0.contains("not a known value") })
        #expect(issues("snapshot_interval_seconds: 1").contains { $0.contains("snapshot_interval_seconds: must be 10 to 3600") })
        #expect(issues("rules:\n  - events: [copy]\n    count: 1\n    action: shout\n    message: x").contains { $0.contains("not a known value") })
    }
}
