import ExamCore
import Foundation

/// The spreadsheet template Chinese item banks use (CSV here; the same columns in XLSX):
///
/// 试题编号, 职业编码, 题型, 题干, 选项A … 选项H, 答案, 分值, 难度, 鉴定点, 等级, 方向, 解析
/// (optional: 区分度, 互斥组, 参考答案). One item per row; documented in `docs/ITEMBANK.md`.
public enum SpreadsheetItemFormat {
    static let required = ["试题编号", "职业编码", "题型", "题干", "答案", "分值", "难度", "鉴定点", "等级", "方向"]
    static let optional = ["选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "选项G", "选项H", "解析", "区分度", "互斥组", "参考答案"]

    static let typeNames: [String: ItemType] = [
        "单选": .singleChoice, "单选题": .singleChoice, "单项选择题": .singleChoice,
        "多选": .multipleChoice, "多选题": .multipleChoice, "多项选择题": .multipleChoice,
        "判断": .trueFalse, "判断题": .trueFalse,
        "填空": .fillIn, "填空题": .fillIn,
        "简答": .shortAnswer, "简答题": .shortAnswer,
    ]

    /// Reads a CSV export of the template (UTF-8, with or without a byte-order mark).
    public static func parseCSV(_ text: String, file: String, standards: [OccupationStandard]) -> Result<[ItemDraft], ItemImportFailure> {
        do {
            return parse(rows: try SpreadsheetRows.csv(text), file: file, standards: standards)
        } catch let error as ExamError {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: error.message)]))
        } catch {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: 1, itemID: nil, message: "malformed CSV (\(error))")]))
        }
    }

    /// Maps rows (the first is the header) to items; every bad row is listed, and any makes the whole file fail.
    public static func parse(rows: [[String]], file: String, standards: [OccupationStandard]) -> Result<[ItemDraft], ItemImportFailure> {
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: "the file is empty")]))
        }
        var issues: [ItemIssue] = []
        let missing = required.filter { !header.contains($0) }
        if !missing.isEmpty {
            issues.append(ItemIssue(file: file, line: 1, itemID: nil, message: "the header lacks the column(s) \(missing.joined(separator: ", "))"))
        }
        let unknown = header.filter { !$0.isEmpty && !required.contains($0) && !optional.contains($0) }
        if !unknown.isEmpty {
            issues.append(ItemIssue(file: file, line: 1, itemID: nil, message: "unknown column(s) \(unknown.joined(separator: ", "))"))
        }
        if !issues.isEmpty { return .failure(ItemImportFailure(issues)) }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var drafts: [ItemDraft] = []
        var seen: [String: Int] = [:]
        for (index, row) in rows.enumerated().dropFirst() where !row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = index + 1
            func cell(_ name: String) -> String {
                guard let position = column[name], position < row.count else { return "" }
                return row[position].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let id = cell("试题编号")
            do {
                let draft = try item(cell, id: id)
                if let first = seen[id] { issues.append(ItemIssue(file: file, line: line, itemID: id, message: "id already used on row \(first)")) }
                seen[id] = line
                let standard = standards.first { $0.code == draft.metadata.occupation }
                for problem in ItemValidator.problems(draft, standard: standard) {
                    issues.append(ItemIssue(file: file, line: line, itemID: id, message: problem))
                }
                drafts.append(draft)
            } catch let error as ExamError {
                issues.append(ItemIssue(file: file, line: line, itemID: id.isEmpty ? nil : id, message: error.message))
            } catch {
                issues.append(ItemIssue(file: file, line: line, itemID: id.isEmpty ? nil : id, message: "\(error)"))
            }
        }
        if drafts.isEmpty && issues.isEmpty { issues.append(ItemIssue(file: file, line: nil, itemID: nil, message: "the file has no items")) }
        return issues.isEmpty ? .success(drafts) : .failure(ItemImportFailure(issues))
    }

    private static func item(_ cell: (String) -> String, id: String) throws -> ItemDraft {
        func bad(_ message: String) -> ExamError { ExamError.invalid("bad_row", message) }
        guard !id.isEmpty else { throw bad("试题编号 is empty") }
        guard let type = typeNames[cell("题型")] else {
            throw bad("题型 '\(cell("题型"))' is not one of 单选题, 多选题, 判断题, 填空题, 简答题 (practical tasks need the YAML format)")
        }
        let levels = try split(cell("等级")).map { text -> Level in
            guard let level = Level(rawValue: text) else { throw bad("等级 '\(text)' is not 初级, 中级 or 高级") }
            return level
        }
        let directionText = cell("方向")
        let directions: DirectionScope = ["", "全部", "all", "不限"].contains(directionText) ? .all : .only(split(directionText).map(Direction.init))
        guard let points = Double(cell("分值")) else { throw bad("分值 '\(cell("分值"))' is not a number") }
        guard let difficulty = Double(cell("难度")) else { throw bad("难度 '\(cell("难度"))' is not a number") }
        var options: [String: String] = [:]
        for letter in ItemValidator.letters where !cell("选项\(letter)").isEmpty {
            options[letter] = cell("选项\(letter)")
        }
        let answerText = cell("答案")
        var content = ItemContent(stem: cell("题干"), options: options, explanation: cell("解析").isEmpty ? nil : cell("解析"))
        switch type {
        case .singleChoice:
            content.answer = .option(answerText.uppercased())
        case .multipleChoice:
            content.answer = .options(answerText.uppercased().filter { $0.isLetter && $0.isASCII }.map(String.init).sorted())
        case .trueFalse:
            switch answerText.lowercased() {
            case "对", "正确", "√", "t", "true", "是", "y": content.answer = .truth(true)
            case "错", "错误", "×", "x", "f", "false", "否", "n": content.answer = .truth(false)
            default: throw bad("判断题的答案 '\(answerText)' must be 对 or 错")
            }
        case .fillIn:
            // Blanks separated by ； or ;, accepted variants of a blank by |.
            let blanks = answerText.split(whereSeparator: { $0 == "；" || $0 == ";" }).map {
                $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            content.answer = .blanks(blanks)
        case .shortAnswer:
            content.referenceAnswer = cell("参考答案").isEmpty ? answerText : cell("参考答案")
            content.scoring = [ScoringPoint(point: "整体评分", marks: points, criteria: "按参考答案要点评分")]
        case .practicalTask:
            throw bad("practical tasks need the YAML format")
        }
        let metadata = ItemMetadata(
            id: ItemID(rawValue: id), type: type, occupation: OccupationCode(rawValue: cell("职业编码")), levels: levels,
            directions: directions, point: cell("鉴定点"), difficulty: difficulty, discrimination: Double(cell("区分度")),
            points: points, enemyGroup: cell("互斥组").isEmpty ? nil : cell("互斥组")
        )
        return ItemDraft(metadata: metadata, content: content)
    }

    /// Splits a list cell on the separators people use: , ， 、 ; ；
    static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { ",，、;；".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
