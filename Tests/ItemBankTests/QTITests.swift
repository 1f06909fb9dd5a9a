import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import ItemBank
import Testing

@Suite struct QTITests {
    static let standards = StandardLoader.load(path: RepositoryPaths.exams).standards
    static let folder = (RepositoryPaths.root as NSString).appendingPathComponent("Tests/ItemBankTests/Fixtures/qti")
    static let classification = QTIItemFormat.Classification(
        occupation: OccupationCode(rawValue: "2-02-10-09"), levels: [.intermediate], point: "2.2.1"
    )

    static func parse(_ name: String) throws -> Result<ItemDraft, ItemImportFailure> {
        let data = try #require(FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)))
        return QTIItemFormat.parse(data, file: name, classification: classification, standard: standards.first { $0.code == classification.occupation })
    }

    @Test func qti21SingleChoiceWithMatchCorrect() throws {
        let draft = try Self.parse("choice-v2p1.xml").get()
        #expect(draft.metadata.id.rawValue == "QTI-CHOICE-1")
        #expect(draft.metadata.type == .singleChoice)
        #expect(draft.content.options == ["A": "欠拟合", "B": "过拟合", "C": "梯度消失", "D": "数据泄露"])
        #expect(draft.content.answer == .option("B"))
        #expect(draft.content.stem.contains("验证误差开始上升"))
        #expect(draft.content.stem.contains("请选择最合适的一项"))
    }

    @Test func qti22MultipleChoiceWithMapResponse() throws {
        let draft = try Self.parse("choice-multiple-v2p2.xml").get()
        #expect(draft.metadata.type == .multipleChoice)
        #expect(draft.content.answer == .options(["A", "C"]))
        #expect(draft.metadata.points == 2)
    }

    @Test func textEntriesBecomeBlanksWithMappedVariants() throws {
        let draft = try Self.parse("text-entry-v2p1.xml").get()
        #expect(draft.metadata.type == .fillIn)
        #expect(draft.content.answer == .blanks([["ReLU", "线性整流函数"], ["Sigmoid"]]))
        #expect(AnswerNormaliser.blankMarkers(in: draft.content.stem) == [1, 2])
        #expect(draft.metadata.points == 2)
    }

    @Test func qti30ChoiceAndExtendedText() throws {
        let choice = try Self.parse("choice-v3p0.xml").get()
        #expect(choice.content.answer == .option("B"))
        #expect(choice.content.stem == "精确率（Precision）的计算公式是（　）")
        let essay = try Self.parse("extended-text-v3p0.xml").get()
        #expect(essay.metadata.type == .shortAnswer)
        #expect(essay.metadata.points == 8)
        #expect(essay.content.stem.contains("数据漂移"))
        #expect(essay.content.scoring.map(\.marks) == [8])
    }

    @Test(arguments: [
        ("order-unsupported-v2p1.xml", "unsupported interaction orderInteraction"),
        ("custom-processing-v2p1.xml", "custom response processing is not supported"),
        ("malformed.xml", "not well-formed XML"),
    ])
    func unsupportedOrBrokenFilesAreRefusedByName(_ name: String, _ message: String) throws {
        guard case .failure(let failure) = try Self.parse(name) else {
            Issue.record("\(name) was accepted")
            return
        }
        #expect(failure.issues.first?.message.contains(message) == true, "\(failure.issues)")
        #expect(failure.issues.first?.file == name)
    }

    @Test func theClassificationIsCheckedAgainstTheStandard() throws {
        let data = try #require(FileManager.default.contents(atPath: (Self.folder as NSString).appendingPathComponent("choice-v2p1.xml")))
        let wrong = QTIItemFormat.Classification(occupation: OccupationCode(rawValue: "2-02-10-09"), levels: [.junior], point: "6.1.1")
        guard case .failure(let failure) = QTIItemFormat.parse(data, file: "c.xml", classification: wrong, standard: Self.standards.first { $0.code == wrong.occupation }) else {
            Issue.record("accepted a point not examined at the level")
            return
        }
        #expect(failure.issues.contains { $0.message.contains("not examined at 初级") })
    }
}
