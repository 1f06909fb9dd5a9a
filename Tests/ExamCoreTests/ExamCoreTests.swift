import ExamCore
import Foundation
import Testing

@Suite struct RoleTests {
    @Test(arguments: [
        ("body_admin", Role.bodyAdmin), ("机构管理员", .bodyAdmin), ("exam_admin", .examAdmin), ("考评员", .examiner),
        ("supervisor", .supervisor), ("质量督导员", .supervisor), ("candidate", .candidate),
    ])
    func parsesCodesAndChineseNames(_ text: String, _ role: Role) {
        #expect(Role(code: text) == role)
    }

    @Test func unknownRolesAreRejected() {
        #expect(Role(code: "wizard") == nil)
        #expect(Role(code: "") == nil)
        #expect(Role(code: "Body_Admin") == nil)
    }

    @Test func everyRoleHasAChineseName() {
        #expect(Set(Role.allCases.map(\.chineseName)).count == Role.allCases.count)
        #expect(Role.allCases.count == 7)
    }
}

@Suite struct StaffingRuleTests {
    static let theory = StaffingRule(candidatesPerStaff: 15, minStaffPerRoom: 2, oddPanel: false, chiefExaminer: false)
    static let practical = StaffingRule(candidatesPerStaff: 5, minStaffPerRoom: 3, oddPanel: true, chiefExaminer: true)

    @Test(arguments: [(1, 2), (15, 2), (30, 2), (31, 3), (45, 3), (46, 4), (150, 10)])
    func theoryRoomsNeedOnePer15AndAtLeastTwo(_ candidates: Int, _ staff: Int) {
        #expect(Self.theory.requiredStaff(forCandidates: candidates) == staff)
    }

    @Test(arguments: [(1, 3), (15, 3), (16, 5), (20, 5), (21, 5), (25, 5), (26, 7), (31, 7)])
    func practicalPanelsNeedOnePer5AtLeastThreeAndOdd(_ candidates: Int, _ staff: Int) {
        #expect(Self.practical.requiredStaff(forCandidates: candidates) == staff)
    }
}

@Suite struct ClockTests {
    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1000))
        #expect(clock.now() == Date(timeIntervalSince1970: 1000))
        clock.advance(by: 90)
        #expect(clock.now() == Date(timeIntervalSince1970: 1090))
    }

    @Test func passMarkIsInclusive() {
        let rules = PartRules(
            durationMinutes: 90, fullMarks: 100, passMark: 60, lateEntryMinutes: 15, earliestHandInMinutes: 30,
            staffing: StaffingRuleTests.theory
        )
        #expect(rules.passes(60))
        #expect(!rules.passes(59.5))
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff, 0x10]
        #expect(bytes.hexString == "0001abff10")
        #expect(Data(hexString: "0001ABff10") == Data(bytes))
        #expect(Data(hexString: "abc") == nil)
        #expect(Data(hexString: "zz") == nil)
    }
}
