import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import Testing

@Suite struct ShippedStandardsTests {
    @Test func everyShippedStandardIsValid() {
        let catalog = StandardLoader.load(path: RepositoryPaths.exams)
        #expect(catalog.issues.isEmpty, "\(catalog.issues)")
        #expect(Set(catalog.standards.map(\.code.rawValue)) == ["2-02-10-09", "2-02-10-11"])
    }

    @Test func artificialIntelligenceHasFiveDirectionsAtEveryLevel() throws {
        let standard = try #require(StandardLoader.load(path: RepositoryPaths.exams).standard(OccupationCode(rawValue: "2-02-10-09")))
        #expect(standard.levels.map(\.level) == [.junior, .intermediate, .senior])
        for spec in standard.levels {
            #expect(spec.directions.count == 5)
            #expect(spec.directions.contains(Direction("计算机视觉产品实现")))
        }
    }

    @Test func bigDataHasNoDirectionAtSeniorLevel() throws {
        let standard = try #require(StandardLoader.load(path: RepositoryPaths.exams).standard(OccupationCode(rawValue: "2-02-10-11")))
        #expect(standard.spec(for: .senior)?.directions == [.undivided])
        #expect(standard.spec(for: .junior)?.directions.count == 3)
    }

    @Test func everyColumnOfEveryWeightTableSumsTo100() {
        for standard in StandardLoader.load(path: RepositoryPaths.exams).standards {
            for column in standard.weights.theory { #expect(column.total == 100) }
            for column in standard.weights.ability { #expect(column.total == 100) }
        }
    }
}

/// Each case breaks a copy of the shipped AI standard in one way and expects the checker to name the
/// YAML path and what is wrong.
@Suite struct StandardCheckTests {
    static let file = (RepositoryPaths.exams as NSString).appendingPathComponent("2-02-10-09.yaml")

    static func text() throws -> String { try String(contentsOfFile: file, encoding: .utf8) }

    static func issues(replacing old: String, with new: String, occurrence: Int = 1) throws -> [StandardFileIssue] {
        let original = try text()
        var ranges: [Range<String.Index>] = []
        var search = original.startIndex..<original.endIndex
        while let range = original.range(of: old, range: search) {
            ranges.append(range)
            search = range.upperBound..<original.endIndex
        }
        guard ranges.count >= occurrence else { throw ContractViolation("fixture text '\(old)' not found") }
        let broken = original.replacingCharacters(in: ranges[occurrence - 1], with: new)
        switch StandardLoader.parse(broken, file: "copy.yaml") {
        case .loaded: return []
        case .failed(let issues): return issues
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var occurrence = 1
        var path: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown level", old: "level: 高级", new: "level: 特级", path: "levels[2].level", message: "unknown level '特级'"),
        Case(name: "duplicate level", old: "level: 高级", new: "level: 中级", path: "levels[2].level", message: "appears twice"),
        Case(name: "不分方向 mixed with directions", old: "directions: [人工智能芯片产品实现,", new: "directions: [不分方向, 人工智能芯片产品实现,",
             path: "levels[0].directions", message: "不分方向 must stand alone"),
        Case(name: "pass mark above full marks", old: "pass_mark: 60", new: "pass_mark: 160", path: "levels[0].parts.theory.pass_mark",
             message: "between 1 and full_marks"),
        Case(name: "late entry longer than the exam", old: "late_entry_minutes: 15", new: "late_entry_minutes: 95",
             path: "levels[0].parts.theory.late_entry_minutes", message: "less than the duration"),
        Case(name: "even practical panel", old: "min_staff_per_room: 3, odd_panel: true", new: "min_staff_per_room: 4, odd_panel: true",
             path: "levels[0].parts.ability.staffing.min_staff_per_room", message: "is even"),
        Case(name: "zero ratio", old: "candidates_per_staff: 15", new: "candidates_per_staff: 0",
             path: "levels[0].parts.theory.staffing.candidates_per_staff", message: "at least 1"),
        Case(name: "typo in a key", old: "earliest_hand_in_minutes: 30", new: "earliest_hand_in_minutes: 30\n        earliest_handin: 30",
             path: "levels[0].parts.theory.earliest_handin", message: "unknown key"),
        Case(name: "duplicate point code", old: "code: \"1.1.2\"", new: "code: \"1.1.1\"", path: "functions[0].contents[0].points[1].code",
             message: "used twice"),
        Case(name: "point outside its content", old: "code: \"1.1.2\"", new: "code: \"2.1.9\"", path: "functions[0].contents[0].points[1].code",
             message: "is not under 工作内容 1.1"),
        Case(name: "unknown direction in a weight column", old: "direction: 人工智能芯片产品实现, basic", new: "direction: 量子计算, basic",
             path: "weights.theory[0].direction", message: "not a direction of 初级"),
        Case(name: "weight for a function that does not exist", old: "\"7\": 5}}", new: "\"7\": 5, \"9\": 0}}",
             path: "weights.theory[0].related.9", message: "职业功能 9 does not exist"),
        Case(name: "unknown eligibility condition", old: "{title: 技术员}", new: "{favourite_colour: 蓝}",
             path: "eligibility[0].clauses[0].all_of[0].favourite_colour", message: "unknown condition"),
        Case(name: "duplicate clause id", old: "id: 初级-2", new: "id: 初级-1", path: "eligibility[0].clauses[1].id", message: "used twice"),
        Case(name: "theory ratio looser than 1:15", old: "candidates_per_staff: 15", new: "candidates_per_staff: 20",
             path: "levels[0].parts.theory.staffing.candidates_per_staff", message: "at most 15 candidates per staff member"),
        Case(name: "practical panel not odd", old: "odd_panel: true", new: "odd_panel: false",
             path: "levels[0].parts.ability.staffing.odd_panel", message: "odd number of examiners"),
        Case(name: "too few invigilators", old: "min_staff_per_room: 2", new: "min_staff_per_room: 1",
             path: "levels[0].parts.theory.staffing.min_staff_per_room", message: "at least 2 staff"),
        Case(name: "absurd weight does not crash", old: "basic: {B1: 5, B2: 20}", new: "basic: {B1: 9223372036854775807, B2: 20}",
             path: "weights.theory[0].basic.B1", message: "outside 0…100"),
        Case(name: "wrong type", old: "training_hours: 128", new: "training_hours: many", path: "levels[0].training_hours",
             message: "expected an integer"),
    ]

    @Test(arguments: cases)
    func brokenCopyIsRejectedWithPath(_ testCase: Case) throws {
        let issues = try Self.issues(replacing: testCase.old, with: testCase.new, occurrence: testCase.occurrence)
        #expect(!issues.isEmpty, "the broken copy was accepted")
        let match = issues.first { $0.path == testCase.path && $0.message.contains(testCase.message) }
        #expect(match != nil, "no issue at \(testCase.path) containing '\(testCase.message)'; got \(issues)")
        #expect(issues.allSatisfy { $0.file == "copy.yaml" })
    }

    @Test func theoryWeightsSummingTo99AreRejectedWithFileLineAndPath() throws {
        let original = try Self.text()
        let marker = "basic: {B1: 5, B2: 20}"
        let range = try #require(original.range(of: marker))
        let broken = original.replacingCharacters(in: range, with: "basic: {B1: 4, B2: 20}")
        let line = original[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        guard case .failed(let issues) = StandardLoader.parse(broken, file: "Exams/copy.yaml") else {
            Issue.record("accepted weights that sum to 99")
            return
        }
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.path.hasPrefix("weights.theory["))
        #expect(issue.message.contains("sum to 99, not 100"))
        #expect(issue.line == line)
        #expect(issue.description.hasPrefix("Exams/copy.yaml:\(line): weights.theory["))
    }

    @Test func missingColumnIsReported() throws {
        let original = try Self.text()
        let lines = original.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains("- {level: 高级, direction: 计算机视觉产品实现, basic") })
        let broken = (lines[..<index] + lines[(index + 1)...]).joined(separator: "\n")
        guard case .failed(let issues) = StandardLoader.parse(broken, file: "copy.yaml") else {
            Issue.record("accepted a standard with a missing column")
            return
        }
        #expect(issues.contains { $0.path == "weights.theory" && $0.message.contains("no column for 高级 / 计算机视觉产品实现") })
    }

    @Test func syntaxErrorsNameTheLine() {
        guard case .failed(let issues) = StandardLoader.parse("schema: 1\ncode: [unclosed\nname: x\n", file: "bad.yaml") else {
            Issue.record("accepted malformed YAML")
            return
        }
        #expect(issues.count == 1)
        #expect(issues[0].message.hasPrefix("YAML syntax error"))
        #expect(issues[0].line != nil)
    }

    @Test func emptyAndMissingFilesAreReported() {
        guard case .failed(let empty) = StandardLoader.parse("", file: "empty.yaml") else {
            Issue.record("accepted an empty file")
            return
        }
        #expect(empty.first?.message == "the file is empty")
        let catalog = StandardLoader.load(path: "/nonexistent/standards")
        #expect(!catalog.isValid)
        #expect(catalog.issues.first?.message == "no such file or directory")
    }

    @Test func duplicateOccupationAcrossFilesIsReported() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let text = try Self.text()
        try text.write(toFile: directory.file("a.yaml"), atomically: true, encoding: .utf8)
        try text.write(toFile: directory.file("b.yaml"), atomically: true, encoding: .utf8)
        let catalog = StandardLoader.load(path: directory.path)
        #expect(catalog.standards.count == 1)
        #expect(catalog.issues.count == 1)
        #expect(catalog.issues.first?.message.contains("already defined in") == true)
    }
}
