import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import ItemBank
import Testing

@Suite struct NativeItemFormatTests {
    static let standards = StandardLoader.load(path: RepositoryPaths.exams).standards

    static let good = """
        schema: 1
        occupation: "2-02-10-09"
        items:
          - id: T-1
            type: single_choice
            levels: [中级]
            directions: all
            point: "2.2.1"
            difficulty: 0.6
            points: 1
            enemy_group: null
            stem: 以下哪项可以缓解过拟合？（　）
            options: {A: 增加参数, B: 数据增强, C: 减少数据, D: 提高学习率}
            answer: B
          - id: T-2
            type: fill_in
            levels: [中级, 高级]
            directions: [计算机视觉产品实现]
            point: "2.2.1"
            difficulty: 0.5
            points: 2
            stem: 常用激活函数有____(1)和____(2)。
            blanks: [[ReLU, 线性整流函数], [Sigmoid]]
          - id: T-3
            type: practical_task
            levels: [高级]
            directions: all
            point: "2.2.1"
            difficulty: 0.5
            points: 100
            stem: ""
            preparation: 提供 GPU 服务器一台。
            statement: 训练并评估一个图像分类模型。
            time_minutes: 90
            scoring:
              - {point: 数据处理, marks: 40, criteria: 完成划分得 40 分}
              - {point: 模型评估, marks: 60, criteria: 准确率达标得 60 分}
        """

    static func parse(_ text: String) -> Result<[ItemDraft], ItemImportFailure> {
        NativeItemFormat.parse(text, file: "items.yaml", standards: standards)
    }

    @Test func readsEveryItemType() throws {
        let drafts = try Self.parse(Self.good).get()
        #expect(drafts.map(\.metadata.id.rawValue) == ["T-1", "T-2", "T-3"])
        #expect(drafts[0].content.answer == .option("B"))
        #expect(drafts[0].metadata.enemyGroup == nil, "enemy_group: null means no group")
        #expect(drafts[1].content.answer == .blanks([["ReLU", "线性整流函数"], ["Sigmoid"]]))
        #expect(drafts[1].metadata.directions == .only([Direction("计算机视觉产品实现")]))
        #expect(drafts[2].content.scoring.map(\.marks) == [40, 60])
    }

    @Test func everyShippedItemFileIsValid() throws {
        let folder = (RepositoryPaths.root as NSString).appendingPathComponent("itembank")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
            if case .failure(let failure) = NativeItemFormat.parse(text, file: file, standards: Self.standards) {
                Issue.record("\(failure.issues.prefix(10))")
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "answer not an option", old: "answer: B", new: "answer: F", message: "the answer F is not one of the options"),
        Case(name: "option letters with a gap", old: "C: 减少数据", new: "E: 减少数据", message: "lettered A, B, C"),
        Case(name: "point not in the standard", old: "point: \"2.2.1\"\n    difficulty: 0.6", new: "point: \"9.9.9\"\n    difficulty: 0.6", message: "鉴定点 9.9.9 is not in the standard"),
        Case(name: "direction not of the level", old: "directions: [计算机视觉产品实现]", new: "directions: [区块链]", message: "direction 区块链 is not a direction of 中级"),
        Case(name: "blank count differs from markers", old: "blanks: [[ReLU, 线性整流函数], [Sigmoid]]", new: "blanks: [[ReLU]]", message: "the stem marks blanks [1, 2]"),
        Case(name: "scoring does not add up", old: "marks: 60", new: "marks: 50", message: "sum to 90, not the item's 100 points"),
        Case(name: "unknown key", old: "difficulty: 0.6", new: "difficulty: 0.6\n    dificulty: 0.6", message: "unknown key 'dificulty'"),
        Case(name: "difficulty out of range", old: "difficulty: 0.6", new: "difficulty: 1.6", message: "difficulty must be a proportion"),
        Case(name: "duplicate id", old: "id: T-2", new: "id: T-1", message: "id already used"),
        Case(name: "unknown type", old: "type: single_choice", new: "type: essay", message: "unknown type"),
        Case(name: "level not examined", old: "levels: [中级]\n    directions: all\n    point: \"2.2.1\"", new: "levels: [初级]\n    directions: all\n    point: \"6.1.1\"", message: "not examined at 初级"),
    ]

    @Test(arguments: cases)
    func oneBadItemImportsNothingAndIsNamed(_ testCase: Case) throws {
        let broken = Self.good.replacingOccurrences(of: testCase.old, with: testCase.new)
        #expect(broken != Self.good, "fixture text not found")
        guard case .failure(let failure) = Self.parse(broken) else {
            Issue.record("a broken file was accepted")
            return
        }
        let issue = failure.issues.first { $0.message.contains(testCase.message) }
        #expect(issue != nil, "no issue containing '\(testCase.message)' in \(failure.issues)")
        #expect(issue?.line != nil, "the issue names no line")
        #expect(issue?.file == "items.yaml")
    }

    @Test func renderedFilesReadBackIdentically() throws {
        let drafts = try Self.parse(Self.good).get()
        let text = try NativeItemFormat.render(drafts, occupation: OccupationCode(rawValue: "2-02-10-09"))
        #expect(try Self.parse(text).get() == drafts)
    }

    @Test func syntheticBanksAreDeterministicValidAndLabelled() throws {
        let standard = try #require(Self.standards.first { $0.code.rawValue == "2-02-10-09" })
        let first = SyntheticBank.generate(count: 300, seed: 42, standard: standard)
        #expect(first == SyntheticBank.generate(count: 300, seed: 42, standard: standard))
        #expect(first != SyntheticBank.generate(count: 300, seed: 43, standard: standard))
        #expect(first.allSatisfy { $0.metadata.synthetic && $0.content.stem.contains("合成试题") })
        for draft in first {
            #expect(ItemValidator.problems(draft, standard: standard).isEmpty, "\(draft.metadata.id): \(ItemValidator.problems(draft, standard: standard))")
        }
        let text = try NativeItemFormat.render(first, occupation: standard.code)
        #expect(try Self.parse(text).get() == first)
        #expect(Set(first.map(\.metadata.type)).count == 4)
    }

    @Test func syntaxErrorsAndWrongOccupationsAreNamed() {
        guard case .failure(let syntax) = Self.parse("schema: 1\nitems: [unclosed\n") else {
            Issue.record("accepted malformed YAML")
            return
        }
        #expect(syntax.issues.first?.message.hasPrefix("YAML syntax error") == true)
        guard case .failure(let occupation) = Self.parse(Self.good.replacingOccurrences(of: "2-02-10-09", with: "9-99-99-99")) else {
            Issue.record("accepted an unknown occupation")
            return
        }
        #expect(occupation.issues.contains { $0.message.contains("not one of the loaded standards") })
    }
}
