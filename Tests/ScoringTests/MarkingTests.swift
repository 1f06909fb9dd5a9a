import ExamCore
import Foundation
import ItemBank
import Scoring
import Testing

/// The marking rule, mark validation, result composition and the statistics, against cases worked
/// out by hand (docs/MARKING.md).
@Suite struct MarkingTests {
    static let task = MarkedItem(
        key: "Q1", item: "P1", version: 1, type: .practicalTask, points: 100,
        scoring: [
            ScoringPoint(point: "环境搭建", marks: 20, criteria: "能正确安装依赖"),
            ScoringPoint(point: "模型训练", marks: 50, criteria: "完成训练并保存"),
            ScoringPoint(point: "结果分析", marks: 30, criteria: "指标与结论"),
        ], reference: nil
    )

    static func refusal(_ sheet: MarkSheet, complete: Bool = false) -> String? {
        do {
            try sheet.validate([task], step: 0.5, complete: complete)
            return nil
        } catch let error as ExamError {
            return error.code
        } catch {
            return "\(error)"
        }
    }

    @Test func marksOutsideTheTableAreRefusedAndNamed() throws {
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [20.5, nil, nil]])) == "invalid_marks")
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [-1, nil, nil]])) == "invalid_marks")
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [10.3, nil, nil]])) == "invalid_marks")
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [10, 20]])) == "invalid_marks")
        #expect(Self.refusal(MarkSheet(marks: ["Q9": [1, 1, 1]])) == "invalid_marks")
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [10, nil, 5]]), complete: true) == "incomplete")
        #expect(Self.refusal(MarkSheet(marks: ["Q1": [20, 49.5, 0]]), complete: true) == nil)
        #expect(MarkSheet(marks: ["Q1": [20, 49.5, 0]]).total == 69.5)
        do {
            try MarkSheet(marks: ["Q1": [10, 51, nil]]).validate([Self.task], step: 0.5, complete: false)
            Issue.record("a mark above 配分 passed")
        } catch let error as ExamError {
            #expect(error.message.contains("模型训练") && error.message.contains("50"))
        }
    }

    @Test func aTableWorthLessThanTheItemIsScaledToItsPoints() {
        // A 5-mark scoring table on an item the paper gives 6 points.
        let item = MarkedItem(
            key: "Q3", item: "S2", version: 1, type: .shortAnswer, points: 6,
            scoring: [ScoringPoint(point: "甲", marks: 2, criteria: "…"), ScoringPoint(point: "乙", marks: 3, criteria: "…")], reference: nil
        )
        #expect(MarkSheet(marks: ["Q3": [2, 3]]).score([item]) == 6)
        #expect(MarkSheet(marks: ["Q3": [1, 1.5]]).score([item]) == 3)
        #expect(MarkSheet(marks: ["Q1": [20, 50, 30], "Q3": [2, 3]]).score([Self.task, item]) == 106)
        // The pass band sees the scaled score: 52 objective + 5 is 57, outside; + 6 is 58, inside.
        #expect(!Self.decide(5, 5, objective: 52, worth: 5).adjudicate)
        #expect(Marking.decide(first: 6, second: 6, worth: 6, objective: 52, maximum: 100, fullMarks: 100, passMark: 60, rules: MarkingRules()).adjudicate)
    }

    @Test func anItemWithoutATableIsMarkedAsOnePointWorthTheItem() {
        let item = MarkedItem(key: "Q2", item: "S1", version: 1, type: .shortAnswer, points: 8, scoring: [], reference: "要点")
        #expect(item.scoring.count == 1 && item.worth == 8)
    }

    static func decide(_ first: Double, _ second: Double, objective: Double = 0, worth: Double = 100, maximum: Double = 100) -> Marking.Decision {
        Marking.decide(first: first, second: second, worth: worth, objective: objective, maximum: maximum, fullMarks: 100, passMark: 60, rules: MarkingRules())
    }

    @Test func twelveApartIsAdjudicatedFiveApartIsNot() {
        #expect(Self.decide(80, 92).adjudicate)
        let calm = Self.decide(80, 85)
        #expect(!calm.adjudicate && calm.marked == 82.5)
        // Exactly 10% apart is still within the threshold.
        #expect(!Self.decide(70, 80).adjudicate)
        // On a 40-point task with 60 objective points, 10% is 4 points.
        #expect(Self.decide(20, 24.5, objective: 50, worth: 40).adjudicate)
        #expect(!Self.decide(30, 34, objective: 50, worth: 40).adjudicate)
    }

    @Test func nearThePassLineIsAdjudicated() {
        #expect(Self.decide(59, 61).adjudicate)  // provisional 60
        #expect(Self.decide(58, 58).adjudicate)  // 58: within ±2, inclusive
        #expect(Self.decide(62, 62).adjudicate)
        #expect(!Self.decide(57, 57).adjudicate)
        #expect(!Self.decide(63, 63).adjudicate)
        // The provisional part score counts the objective points and the scale of the paper.
        #expect(Self.decide(10, 10, objective: 50).adjudicate)
        #expect(Self.decide(20, 20, objective: 10, worth: 40, maximum: 50).adjudicate)  // 30 of 50 is 60
    }

    @Test func aPartNeverReachesThePassMarkByRounding() {
        // 59.996 shows as 59.99 and fails; float noise around an exact 60 does not.
        let near = Results.part(earned: .init(objective: 50, marked: 9.996, maximum: 100), own: [], voidedElsewhere: [], fullMarks: 100)
        #expect(near.score == 59.99 && !near.passes(60))
        let exact = Results.part(earned: .init(objective: 0.1 + 0.2, marked: 59.7, maximum: 100), own: [], voidedElsewhere: [], fullMarks: 100)
        #expect(exact.score == 60 && exact.passes(60))
        // A 5-mark table on a 6-point item: 4.5 marks are 5.4 points.
        let item = MarkedItem(key: "Q1", item: "S", version: 1, type: .shortAnswer, points: 6, scoring: [ScoringPoint(point: "甲", marks: 5, criteria: "…")], reference: nil)
        #expect(MarkSheet(marks: ["Q1": [4.5]]).score([item]) == 5.4)
    }

    @Test func aPartPassesAtSixtyInclusiveWithoutRounding() {
        let part = { (marked: Double) in Results.part(earned: .init(objective: 0, marked: marked, maximum: 100), own: [], voidedElsewhere: [], fullMarks: 100) }
        #expect(!part(59.5).passes(60))
        #expect(part(59.5).score == 59.5)
        #expect(part(60).passes(60))
        // A paper worth 50 is scaled to the part's 100.
        let scaled = Results.part(earned: .init(objective: 10, marked: 20, maximum: 50), own: [], voidedElsewhere: [], fullMarks: 100)
        #expect(scaled.score == 60 && scaled.passes(60))
    }

    static func decision(_ tier: MisconductTier, points: Int? = nil, id: Int64 = 1) -> AppliedMisconduct {
        AppliedMisconduct(id: id, tier: tier, points: points, banYears: tier == .ban ? 3 : nil, reason: "考场违纪", evidence: ["events": [7]], decidedBy: "staff", decidedAt: Date())
    }

    @Test func misconductAppliesByTier() {
        let earned = Results.Earned(objective: 50, marked: 20, maximum: 100)
        let warned = Results.part(earned: earned, own: [Self.decision(.warning)], voidedElsewhere: [], fullMarks: 100)
        #expect(warned.score == 70 && warned.misconduct.count == 1)
        let deducted = Results.part(earned: earned, own: [Self.decision(.deduction, points: 10)], voidedElsewhere: [], fullMarks: 100)
        #expect(deducted.score == 60 && deducted.deduction == 10 && deducted.passes(60))
        let floored = Results.part(earned: .init(objective: 3, marked: 0, maximum: 100), own: [Self.decision(.deduction, points: 10)], voidedElsewhere: [], fullMarks: 100)
        #expect(floored.score == 0)
        let voided = Results.part(earned: earned, own: [Self.decision(.subjectVoid)], voidedElsewhere: [], fullMarks: 100)
        #expect(voided.status == .void && voided.score == nil && !voided.passes(60))
        // A sitting void or ban in the other part voids this one; a subject void there does not.
        let other = [Self.decision(.subjectVoid, id: 2), Self.decision(.ban, id: 3)]
        #expect(Results.voidingBoth(other).map(\.id) == [3])
        let byBan = Results.part(earned: earned, own: [], voidedElsewhere: Results.voidingBoth(other), fullMarks: 100)
        #expect(byBan.status == .void && byBan.misconduct.first?.banYears == 3)
        #expect(Results.part(earned: nil, own: [], voidedElsewhere: [], fullMarks: 100).status == .absent)
        #expect(Results.part(earned: .init(objective: 40, marked: nil, maximum: 100), own: [], voidedElsewhere: [], fullMarks: 100).status == .pending)
    }

    @Test func kr20MatchesAHandWorkedCase() throws {
        // Items p = .75, .5, .25: Σpq = .625; totals 3, 2, 1, 0: σ² = 1.25; KR-20 = 3/2 · (1 − .5) = .75.
        let matrix = [[true, true, true], [true, true, false], [true, false, false], [false, false, false]]
        #expect(abs(try #require(Statistics.kr20(matrix)) - 0.75) < 1e-12)
        #expect(Statistics.kr20([[true, true], [true, true]]) == nil)  // no variance
        #expect(Statistics.kr20([[true], [false]]) == nil)  // one item
    }

    @Test func iccMatchesAHandWorkedCase() throws {
        // Pairs (1,2) (3,3) (5,4): MSB = 9/2, MSW = 1/3; ICC = (4.5 − 1/3) / (4.5 + 1/3) = 25/29.
        #expect(abs(try #require(Statistics.icc([(1, 2), (3, 3), (5, 4)])) - 25.0 / 29.0) < 1e-12)
        #expect(Statistics.icc([(1, 2)]) == nil)
        #expect(Statistics.icc([(3, 3), (3, 3)]) == nil)
        // Perfect agreement is 1; systematic disagreement lowers it.
        #expect(Statistics.icc([(10, 10), (20, 20), (30, 30)]) == 1)
        #expect(try #require(Statistics.icc([(10, 20), (20, 30), (30, 40)])) < 1)
    }

    @Test func pointBiserialAndFlags() throws {
        #expect(abs(try #require(Statistics.pearson([0, 0, 1, 1], [1, 2, 3, 4])) - 0.894427190999916) < 1e-12)
        #expect(Statistics.pearson([1, 1, 1], [1, 2, 3]) == nil)
        #expect(Statistics.flags(p: 0.1, discrimination: 0.3) == ["p_low"])
        #expect(Statistics.flags(p: 0.97, discrimination: nil) == ["p_high"])
        #expect(Statistics.flags(p: 0.5, discrimination: -0.2) == ["negative_discrimination"])
        #expect(Statistics.flags(p: 0.2, discrimination: 0).isEmpty)
    }

    @Test func theRecheckWindowCountsWorkingDaysInChinaTime() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        // Published Friday 2026-11-27 10:00 Beijing: ten working days end Friday 2026-12-11, 23:59:59.
        let published = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 27, hour: 10)))
        let end = WorkingDays.end(after: published, count: 10)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: end)
        #expect([parts.year, parts.month, parts.day, parts.hour, parts.minute] == [2026, 12, 11, 23, 59])
        // Published on a Saturday: the first working day is Monday.
        let saturday = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 28, hour: 9)))
        #expect(calendar.component(.day, from: WorkingDays.end(after: saturday, count: 1)) == 30)
    }
}
