import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import Testing

@Suite struct EligibilityEngineTests {
    static let standard = StandardLoader.load(path: RepositoryPaths.exams).standards.first { $0.code.rawValue == "2-02-10-09" }!
    static let asOf = date("2026-06-30")

    static func date(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return formatter.date(from: text)!
    }

    static func evaluate(_ level: Level, _ profile: ApplicantProfile) -> EligibilityResult {
        let rules = standard.eligibility.first { $0.level == level }!
        let hours = standard.levels.first { $0.level == level }!.trainingHours
        return EligibilityEngine.evaluate(profile, rules: rules, trainingHours: hours, on: asOf)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var level: Level
        var profile: ApplicantProfile
        var clause: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // 中级-2: 本科 + 初级 certificate + 3 years since it — exactly 3 years meets, a day short does not.
        Case(name: "中级-2 exactly 3 years", level: .intermediate, profile: .init(
            education: .bachelor, certificate: .junior, certificateObtained: date("2023-06-30"), trainingHours: 128), clause: "中级-2"),
        Case(name: "中级-2 one day short", level: .intermediate, profile: .init(
            education: .bachelor, certificate: .junior, certificateObtained: date("2023-07-01"), trainingHours: 128), clause: nil),
        Case(name: "中级-2 with a higher certificate", level: .intermediate, profile: .init(
            education: .juniorCollege, certificate: .intermediate, certificateObtained: date("2022-01-01"), trainingHours: 200), clause: "中级-2"),
        Case(name: "中级-3 needs a master, not a bachelor", level: .intermediate, profile: .init(
            education: .bachelor, certificate: .junior, certificateObtained: date("2025-06-30"), trainingHours: 128), clause: nil),
        Case(name: "中级-3 master + 1 year", level: .intermediate, profile: .init(
            education: .master, certificate: .junior, certificateObtained: date("2025-06-30"), trainingHours: 128), clause: "中级-3"),
        // 中级-1: 助理工程师 + 2 years; a higher title counts.
        Case(name: "中级-1 assistant engineer 2 years", level: .intermediate, profile: .init(
            title: .assistantEngineer, titleObtained: date("2024-06-30"), trainingHours: 128), clause: "中级-1"),
        Case(name: "中级-1 engineer counts as at least assistant", level: .intermediate, profile: .init(
            title: .engineer, titleObtained: date("2020-03-01"), trainingHours: 128), clause: "中级-1"),
        Case(name: "中级-1 technician is not enough", level: .intermediate, profile: .init(
            title: .technician, titleObtained: date("2010-01-01"), trainingHours: 128), clause: nil),
        Case(name: "中级-4 relevant doctorate", level: .intermediate, profile: .init(
            education: .doctorate, relevantMajor: true, trainingHours: 128), clause: "中级-4"),
        Case(name: "中级-4 doctorate in another field", level: .intermediate, profile: .init(
            education: .doctorate, relevantMajor: false, trainingHours: 128), clause: nil),
        // Training proof is required on top of a clause.
        Case(name: "training one hour short", level: .intermediate, profile: .init(
            education: .doctorate, relevantMajor: true, trainingHours: 127), clause: nil),
        // 初级-2 admits final-year students; 初级-3 does not.
        Case(name: "初级-2 final-year relevant bachelor", level: .junior, profile: .init(
            finalYearOf: .bachelor, relevantMajor: true, trainingHours: 128), clause: "初级-2"),
        Case(name: "初级-2 final-year but not relevant", level: .junior, profile: .init(
            finalYearOf: .bachelor, relevantMajor: false, trainingHours: 128), clause: nil),
        Case(name: "初级-3 final-year 大专 does not count", level: .junior, profile: .init(
            finalYearOf: .juniorCollege, relevantMajor: true, yearsInOccupation: 1, trainingHours: 128), clause: nil),
        Case(name: "初级-3 relevant 大专 + exactly 1 year", level: .junior, profile: .init(
            education: .juniorCollege, relevantMajor: true, yearsInOccupation: 1, trainingHours: 128), clause: "初级-3"),
        Case(name: "初级-4 technical school", level: .junior, profile: .init(technicalSchoolGraduate: true, trainingHours: 128), clause: "初级-4"),
        // 高级-2: master/bachelor + 中级 + 4 years; 高级-3: doctorate + 中级 + 1 year.
        Case(name: "高级-2 exactly 4 years", level: .senior, profile: .init(
            education: .master, certificate: .intermediate, certificateObtained: date("2022-06-30"), trainingHours: 160), clause: "高级-2"),
        Case(name: "高级-2 three years", level: .senior, profile: .init(
            education: .master, certificate: .intermediate, certificateObtained: date("2023-06-30"), trainingHours: 160), clause: nil),
        Case(name: "高级-3 doctorate + 1 year", level: .senior, profile: .init(
            education: .doctorate, certificate: .intermediate, certificateObtained: date("2025-06-30"), trainingHours: 160), clause: "高级-3"),
        Case(name: "高级 with a 初级 certificate only", level: .senior, profile: .init(
            education: .doctorate, certificate: .junior, certificateObtained: date("2015-01-01"), trainingHours: 160), clause: nil),
    ]

    @Test(arguments: cases) func clausesAtTheirBoundaries(_ testCase: Case) {
        let result = Self.evaluate(testCase.level, testCase.profile)
        #expect(result.eligible == (testCase.clause != nil), "\(result.explanation)")
        if let clause = testCase.clause {
            #expect(result.metClause == clause, "\(result.explanation)")
        }
    }

    @Test func explanationsSayWhichClauseAndTheNumbers() {
        let met = Self.evaluate(.intermediate, .init(education: .bachelor, certificate: .junior, certificateObtained: Self.date("2022-05-01"), trainingHours: 130))
        #expect(met.explanation.hasPrefix("符合中级申报条件 中级-2"))
        #expect(met.explanation.contains("满3年（实际4年）"))
        #expect(met.englishExplanation.contains("meets 中级 clause 中级-2"))
        #expect(met.englishExplanation.contains("3 years since the certificate (has 4)"))

        let refused = Self.evaluate(.intermediate, .init(education: .bachelor, certificate: .junior, certificateObtained: Self.date("2024-01-01"), trainingHours: 100))
        #expect(!refused.eligible)
        #expect(refused.explanation.contains("培训条件不满足：培训满128学时（实际100学时）"))
        for clause in ["中级-1", "中级-2", "中级-3", "中级-4", "中级-5"] {
            #expect(refused.explanation.contains("· \(clause)"), "every clause is listed with why it fails")
        }
        #expect(refused.explanation.contains("满3年（实际2年）"))
    }
}

@Suite struct NationalIDTests {
    @Test func aValidNumberGivesBirthDateAndGender() throws {
        let id = try NationalID("11010519491231002x")
        #expect(id.number == "11010519491231002X")
        #expect(id.birthDate == DateComponents(year: 1949, month: 12, day: 31))
        #expect(id.gender == .female)
        let digits = "44030419900307451"
        let man = try NationalID(digits + String(NationalID.checkCharacter(for: digits)!))
        #expect(man.gender == .male)
    }

    @Test(arguments: [
        ("1101051949123100", "应为18位"),
        ("11010519491231002Y", "第18位"),
        ("1101051949123A002X", "前17位"),
        ("99010519491231002X", "地区码99"),
        ("110105199002300011", "出生日期1990-2-30无效"),
        ("110105203001010011", "在今天之后"),
        ("110105194912310021", "校验码应为X"),
    ])
    func badNumbersSayWhatIsWrong(_ number: String, _ message: String) {
        let error = #expect(throws: ExamError.self) { try NationalID(number, today: EligibilityEngineTests.date("2026-11-29")) }
        #expect(error?.code == "invalid_id_number")
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}
