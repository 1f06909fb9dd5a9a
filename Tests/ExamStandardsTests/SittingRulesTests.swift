import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import Testing

@Suite struct SittingRulesTests {
    static let standard = StandardLoader.load(path: RepositoryPaths.exams).standards.first { $0.code.rawValue == "2-02-10-09" }!
    static let theoryRule = standard.levels[1].parts.theory.staffing
    static let practicalRule = standard.levels[1].parts.ability.staffing

    static func people(_ prefix: String, _ count: Int) -> [AccountID] { (1...max(count, 1)).prefix(count).map { AccountID(rawValue: "\(prefix)-\($0)") } }

    @Test func thirtyOneCandidatesNeedThreeInvigilators() {
        let candidates = Self.people("c", 31)
        let two = SittingPlan(part: .theory, rooms: [RoomPlan(name: "101", capacity: 40, candidates: candidates, staff: Self.people("i", 2))], supervisors: ["s-1"].map(AccountID.init))
        let problems = SittingRules.problems(two, rule: Self.theoryRule, relations: [])
        #expect(problems.count == 1)
        #expect(problems.first?.contains("考场 101：31名考生至少需要3名监考员") == true, "\(problems)")
        #expect(problems.first?.contains("3 assigned") == false && problems.first?.contains("2 assigned") == true)
        var three = two
        three.rooms[0].staff = Self.people("i", 3)
        #expect(SittingRules.problems(three, rule: Self.theoryRule, relations: []).isEmpty)
        // Thirty candidates are fine with two; an empty plan or a missing supervisor is not.
        var thirty = two
        thirty.rooms[0].candidates = Self.people("c", 30)
        #expect(SittingRules.problems(thirty, rule: Self.theoryRule, relations: []).isEmpty)
        thirty.supervisors = []
        #expect(SittingRules.problems(thirty, rule: Self.theoryRule, relations: []).contains { $0.contains("质量督导员") })
    }

    @Test func practicalPanelsAreOddWithAChief() {
        let examiners = Self.people("e", 5)
        for (candidates, needed) in [(5, 3), (15, 3), (16, 5), (20, 5), (26, 7)] {
            #expect(Self.practicalRule.requiredStaff(forCandidates: candidates) == needed, "\(candidates) candidates")
        }
        var plan = SittingPlan(
            part: .ability, rooms: [RoomPlan(name: "实训室A", capacity: 20, candidates: Self.people("c", 16), staff: Array(examiners.prefix(4)), chief: examiners[0])],
            supervisors: [AccountID(rawValue: "s-1")]
        )
        #expect(SittingRules.problems(plan, rule: Self.practicalRule, relations: []).contains { $0.contains("16名考生至少需要5名考评员") })
        plan.rooms[0].staff = examiners
        #expect(SittingRules.problems(plan, rule: Self.practicalRule, relations: []).isEmpty)
        plan.rooms[0].chief = AccountID(rawValue: "someone-else")
        #expect(SittingRules.problems(plan, rule: Self.practicalRule, relations: []).contains { $0.contains("考评组长") })
    }

    @Test func relatedStaffDoublePlacementsAndOverfullRoomsBlockPublishing() {
        let candidates = Self.people("c", 12)
        let relation = StaffRelation(staff: AccountID(rawValue: "i-1"), candidate: candidates[3], kind: .relative)
        let plan = SittingPlan(
            part: .theory,
            rooms: [
                RoomPlan(name: "101", capacity: 10, candidates: candidates, staff: Self.people("i", 2)),
                RoomPlan(name: "102", capacity: 30, candidates: [candidates[0]], staff: [AccountID(rawValue: "i-2"), AccountID(rawValue: "i-3")]),
            ],
            supervisors: [AccountID(rawValue: "s-1")]
        )
        let problems = SittingRules.problems(plan, rule: Self.theoryRule, relations: [relation])
        #expect(problems.contains { $0.contains("安排12名考生，超出容量10") })
        #expect(problems.contains { $0.contains("考生 c-1 同时安排在考场 101和考场 102") })
        #expect(problems.contains { $0.contains("i-2 同时安排在考场 101和考场 102") })
        #expect(problems.contains { $0.contains("i-1 与考生 c-4 存在亲属关系") })
    }

    @Test func randomDrawsNeverPickARelatedStaffMember() {
        let pool = Self.people("x", 10)
        let candidates = Set(Self.people("c", 20))
        let relations = [
            StaffRelation(staff: pool[0], candidate: AccountID(rawValue: "c-5"), kind: .teacherStudent),
            StaffRelation(staff: pool[1], candidate: AccountID(rawValue: "c-9"), kind: .sameEmployer),
            StaffRelation(staff: pool[2], candidate: AccountID(rawValue: "nobody-here"), kind: .colleague),
        ]
        for seed in 0..<50 as Range<UInt64> {
            var generator = SeededTestGenerator(seed: seed)
            let drawn = SittingRules.draw(7, from: pool, avoiding: candidates, relations: relations, taken: [pool[9]], using: &generator)
            let picked = try? #require(drawn)
            #expect(picked?.count == 7)
            #expect(picked.map { !$0.contains(pool[0]) && !$0.contains(pool[1]) && !$0.contains(pool[9]) } == true)
        }
        var generator = SeededTestGenerator(seed: 1)
        #expect(SittingRules.draw(8, from: pool, avoiding: candidates, relations: relations, taken: [pool[9]], using: &generator) == nil)
    }
}

/// SplitMix64 for reproducible draws in tests.
struct SeededTestGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
