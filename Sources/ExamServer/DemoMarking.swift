import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Scoring
import Storage

/// What the demo needs to show a finished sitting being marked: its hand-ins scored, and most
/// of its submissions marked by the panel as real examiners would (the same service, the same
/// rules), leaving the demo examiner's own sheets for them to mark in the browser.
extension DeliveryRuntime {
    /// Loads a sitting (which scores any hand-in not scored yet) and waits until the scores are written.
    public func settle(_ sitting: String) async throws {
        _ = try await self.sitting(sitting)
        await scorer.idle()
    }

    /// Signs every sheet of the sitting's submissions but those of `leaving`, with marks that
    /// follow each candidate's `ability` (0…1) and a little disagreement between examiners.
    /// Third marks needed on the way are given too. Returns how many sheets were signed.
    public func demoMarking(_ sitting: String, leaving examiner: AccountID, ability: @Sendable (String) -> Double) async throws -> Int {
        let marking = MarkingService(runtime: self)
        try await marking.prepare(sitting)
        var signed = 0
        var generator = SeededGenerator(seed: 0x5EED_2026)
        // Two passes: the first and second marks, then the third marks they call for.
        for _ in 0..<2 {
            for submission in try await store.marking.submissions(sitting: sitting) {
                let items = try MarkingService.items(of: submission)
                for sheet in try await store.marking.sheets(code: submission.code) where sheet.signedAt == nil && sheet.examiner != examiner.rawValue {
                    let level = ability(submission.candidate)
                    var marks: [String: [Double?]] = [:]
                    for item in items {
                        marks[item.key] = item.scoring.map { point in
                            let noise = Double(Int(generator.next() % 5) - 2) * 0.1
                            let share = min(1, max(0, level + noise))
                            return (point.marks * share * 2).rounded() / 2
                        }
                    }
                    let comment = level > 0.6 ? "完成度较好，步骤清楚。" : "部分要点未完成，结果不完整。"
                    _ = try await marking.sign(
                        submission.code, sheet: MarkSheet(marks: marks, comments: [:], comment: comment), examiner: AccountID(rawValue: sheet.examiner)
                    )
                    signed += 1
                }
            }
        }
        return signed
    }
}
