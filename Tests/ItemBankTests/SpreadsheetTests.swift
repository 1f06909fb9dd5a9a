import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import ItemBank
import Testing

@Suite struct SpreadsheetTests {
    static let standards = StandardLoader.load(path: RepositoryPaths.exams).standards
    static let template = (RepositoryPaths.root as NSString).appendingPathComponent("itembank/templates/item-template.csv")

    @Test func theShippedTemplateExampleReads() throws {
        let text = try String(contentsOfFile: Self.template, encoding: .utf8)
        let drafts = try SpreadsheetItemFormat.parseCSV(text, file: "template.csv", standards: Self.standards).get()
        #expect(drafts.map(\.metadata.type) == [.singleChoice, .multipleChoice, .trueFalse, .fillIn])
        #expect(drafts[0].metadata.levels == [.intermediate, .senior])
        #expect(drafts[1].content.answer == .options(["A", "B", "C"]))
        #expect(drafts[2].content.answer == .truth(true))
        #expect(drafts[3].content.answer == .blanks([["ReLU", "线性整流函数"], ["Sigmoid"]]))
        #expect(drafts[3].metadata.directions == .only([Direction("计算机视觉产品实现")]))
    }

    @Test func everyBadRowIsListedAndNothingIsReturned() throws {
        let text = try String(contentsOfFile: Self.template, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: ",B,1,", with: ",Z,1,")
        lines[3] = lines[3].replacingOccurrences(of: ",对,", with: ",也许,")
        guard case .failure(let failure) = SpreadsheetItemFormat.parseCSV(lines.joined(separator: "\n"), file: "bad.csv", standards: Self.standards) else {
            Issue.record("a file with bad rows was accepted")
            return
        }
        #expect(failure.issues.map(\.line) == [2, 4])
        #expect(failure.issues[0].description.hasPrefix("bad.csv:2: item TPL-0001: the answer Z"))
        #expect(failure.issues[1].message.contains("must be 对 or 错"))
    }

    @Test func aWrongHeaderIsExplained() {
        guard case .failure(let failure) = SpreadsheetItemFormat.parseCSV("编号,题干\nX,Y\n", file: "h.csv", standards: Self.standards) else {
            Issue.record("accepted a wrong header")
            return
        }
        #expect(failure.issues.contains { $0.message.contains("lacks the column(s) 试题编号") })
    }

    @Test func aByteOrderMarkAndQuotedCommasAreHandled() throws {
        let csv = "\u{FEFF}试题编号,职业编码,题型,题干,选项A,选项B,答案,分值,难度,鉴定点,等级,方向\nQ-1,2-02-10-09,单选,\"甲，乙, 丙\",是,否,A,1,0.5,2.2.1,中级,全部\n"
        let drafts = try SpreadsheetItemFormat.parseCSV(csv, file: "q.csv", standards: Self.standards).get()
        #expect(drafts.first?.content.stem == "甲，乙, 丙")
    }
}
