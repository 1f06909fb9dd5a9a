import Delivery
import ExamCore
import Foundation
import Testing

@Suite struct ProctoringPolicyTests {
    let policy = ProctoringPolicy(
        snapshotIntervalSeconds: 60, snapshotMaxBytes: 512 * 1024, coverageGapSeconds: 180,
        rules: [
            .init(events: [.visibilityHidden, .windowBlur], count: 3, action: .warn, message: "离开页面"),
            .init(events: [.paste], count: 1, action: .incident, message: "粘贴"),
        ]
    )

    @Test func aRuleFiresAtEveryMultipleOfItsCountAcrossItsKinds() {
        var counts: [ProctorEventKind: Int] = [:]
        var fired: [Int] = []
        let sequence: [ProctorEventKind] = [.visibilityHidden, .windowBlur, .windowFocus, .visibilityHidden, .windowBlur, .windowBlur, .visibilityHidden]
        for (index, kind) in sequence.enumerated() {
            counts[kind, default: 0] += 1
            if !policy.fired(by: kind, counts: counts).isEmpty { fired.append(index) }
        }
        // The 3rd and 6th of hidden+blur (focus events do not count).
        #expect(fired == [3, 6])
    }

    @Test func anEventOutsideEveryRuleFiresNothingAndOneCountRulesFireEachTime() {
        #expect(policy.fired(by: .copy, counts: [.copy: 3]).isEmpty)
        #expect(policy.fired(by: .paste, counts: [.paste: 1]).map(\.message) == ["粘贴"])
        #expect(policy.fired(by: .paste, counts: [.paste: 2]).map(\.message) == ["粘贴"])
    }

    @Test func theDefaultsAreUsableAndNonsenseIsNamed() {
        #expect(ProctoringPolicy.standard.problems().isEmpty)
        var bad = policy
        bad.snapshotIntervalSeconds = 5
        bad.coverageGapSeconds = 4
        bad.rules.append(.init(events: [], count: 0, action: .warn, message: " "))
        let problems = bad.problems()
        #expect(problems.contains { $0.hasPrefix("snapshot_interval_seconds") })
        #expect(problems.contains { $0.hasPrefix("coverage_gap_seconds") })
        #expect(problems.contains { $0.hasPrefix("rules[2].events") })
        #expect(problems.contains { $0.hasPrefix("rules[2].count") })
        #expect(problems.contains { $0.hasPrefix("rules[2].message") })
    }
}

@Suite struct CoverageAuditTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test func snapshotsEveryMinuteCoverTheWholeWindow() {
        let snapshots = stride(from: 30.0, through: 3570, by: 60).map(at)
        #expect(CoverageAudit.gaps(snapshots: snapshots, window: at(0)...at(3600), maxGap: 180).isEmpty)
    }

    @Test func aLongGapTheStartAndTheEndAreEachFlagged() {
        // First snapshot 200 s after entering, a 400 s hole in the middle, the last 250 s before the end.
        let snapshots = [at(200), at(260), at(660), at(750)]
        let gaps = CoverageAudit.gaps(snapshots: snapshots, window: at(0)...at(1000), maxGap: 180)
        #expect(gaps.map(\.seconds) == [200, 400, 250])
        #expect(gaps.first?.from == at(0) && gaps.last?.to == at(1000))
    }

    @Test func noSnapshotAtAllIsOneGapAsLongAsTheWindowAndOutsideSnapshotsDoNotCount() {
        let gaps = CoverageAudit.gaps(snapshots: [at(-100), at(2000)], window: at(0)...at(600), maxGap: 180)
        #expect(gaps.map(\.seconds) == [600])
    }
}

@Suite struct PauseQueriesTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test func sittingAndPersonalPausesAreToldApart() {
        var ledger = TimeLedger(scheduledStart: t0, durationSeconds: 3600, lateEntrySeconds: 900, earliestHandInSeconds: 0)
        ledger.append(.started(at: at(0)))
        ledger.append(.paused(at: at(100), candidate: "a", reason: "停电"))
        ledger.append(.paused(at: at(200), candidate: nil, reason: "全场"))
        #expect(ledger.isPersonallyPaused("a", at: at(150)))
        #expect(!ledger.isPersonallyPaused("b", at: at(250)))
        #expect(ledger.isSittingPaused(at: at(250)) && !ledger.isSittingPaused(at: at(150)))
        #expect(ledger.isPaused("b", at: at(250)))
        // Their own pause explains a's stop; the sitting's explains b's.
        #expect(ledger.pause(of: "a", at: at(250))?.reason == "停电" && ledger.pause(of: "a", at: at(250))?.since == at(100))
        #expect(ledger.pause(of: "b", at: at(250))?.reason == "全场" && ledger.pause(of: "b", at: at(150)) == nil)
        ledger.append(.resumed(at: at(300), candidate: nil))
        #expect(!ledger.isPaused("b", at: at(350)) && ledger.isPaused("a", at: at(350)))
        ledger.append(.resumed(at: at(400), candidate: "a"))
        // a was stopped 100…400 (300 s), b 200…300 (100 s).
        #expect(ledger.deadline(for: "a", at: at(500)) == at(3900))
        #expect(ledger.deadline(for: "b", at: at(500)) == at(3700))
    }
}

@Suite struct WorkAnswerTests {
    @Test func aPracticalAnswerWithFilesRoundTripsInCanonicalForm() throws {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(#"{"text":"见附件","files":["F-01","F-02"]}"#.utf8))
        #expect(answer == .work(text: "见附件", files: ["F-01", "F-02"]))
        #expect(answer.canonicalJSON == #"{"files":["F-01","F-02"],"text":"见附件"}"#)
        #expect(try JSONDecoder().decode(Answer.self, from: Data(#"{"files":["F-01"]}"#.utf8)) == .work(text: "", files: ["F-01"]))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Answer.self, from: Data(#"{"choice":"A","files":["F-01"]}"#.utf8)) }
    }
}
