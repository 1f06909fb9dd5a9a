import ExamCore
import Foundation
import Yams

/// The native YAML item format (`itembank/*.yaml`, documented in `docs/ITEMBANK.md`).
public enum NativeItemFormat {
    /// Parses and checks one file against the loaded standards. All-or-nothing: any issue and the
    /// file yields no items, with every issue listed (file:line: item: what is wrong).
    public static func parse(_ text: String, file: String, standards: [OccupationStandard]) -> Result<[ItemDraft], ItemImportFailure> {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: "the file is empty")]))
            }
            root = node
        } catch let error as YamlError {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: Self.line(of: error), itemID: nil, message: "YAML syntax error: \(error)")]))
        } catch {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: "cannot read the file")]))
        }
        guard let schema = root["schema"]?.int, schema == 1 else {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: root.mark?.line, itemID: nil, message: "schema: 1 is required")]))
        }
        guard let occupationText = root["occupation"]?.string else {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: root.mark?.line, itemID: nil, message: "occupation is required")]))
        }
        let occupation = OccupationCode(rawValue: occupationText)
        let standard = standards.first { $0.code == occupation }
        guard let itemNodes = root["items"]?.sequence else {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: root.mark?.line, itemID: nil, message: "items: a list of items is required")]))
        }
        var issues: [ItemIssue] = []
        if standard == nil {
            issues.append(ItemIssue(file: file, line: root["occupation"]?.mark?.line, itemID: nil, message: "occupation \(occupationText) is not one of the loaded standards"))
        }
        var drafts: [ItemDraft] = []
        var seen: [String: Int] = [:]
        for node in itemNodes {
            let line = node.mark?.line
            let id = node["id"]?.string
            do {
                let draft = try NodeItemReader(node: node, occupation: occupation).read()
                if let first = seen[draft.metadata.id.rawValue] {
                    issues.append(ItemIssue(file: file, line: line, itemID: id, message: "id already used on line \(first)"))
                }
                seen[draft.metadata.id.rawValue] = line ?? 0
                for problem in ItemValidator.problems(draft, standard: standard) where standard != nil {
                    issues.append(ItemIssue(file: file, line: line, itemID: id, message: problem))
                }
                drafts.append(draft)
            } catch let error as NodeItemReader.Failure {
                issues.append(ItemIssue(file: file, line: error.line ?? line, itemID: id, message: error.message))
            } catch {
                issues.append(ItemIssue(file: file, line: line, itemID: id, message: "\(error)"))
            }
        }
        if itemNodes.count == 0 { issues.append(ItemIssue(file: file, line: root.mark?.line, itemID: nil, message: "the file has no items")) }
        return issues.isEmpty ? .success(drafts) : .failure(ItemImportFailure(issues))
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): mark.line
        default: nil
        }
    }
}

/// Every problem that stopped an import; nothing was imported.
public struct ItemImportFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ItemIssue]
    public init(_ issues: [ItemIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads one item mapping, with messages that name the offending key.
struct NodeItemReader {
    struct Failure: Error {
        var line: Int?
        var message: String
    }

    let node: Node
    let occupation: OccupationCode

    static let knownKeys: Set<String> = [
        "id", "type", "levels", "directions", "point", "difficulty", "discrimination", "points", "enemy_group", "stem",
        "options", "answer", "blanks", "reference_answer", "scoring", "explanation", "preparation", "statement",
        "materials", "time_minutes", "synthetic",
    ]

    func read() throws -> ItemDraft {
        guard case .mapping(let mapping) = node else { throw Failure(line: node.mark?.line, message: "an item must be a mapping") }
        for key in mapping.keys {
            guard let name = key.string, Self.knownKeys.contains(name) else {
                throw Failure(line: key.mark?.line, message: "unknown key '\(key.string ?? "?")'")
            }
        }
        let id = try string("id")
        guard let type = ItemType(rawValue: try string("type")) else {
            throw Failure(line: node["type"]?.mark?.line, message: "unknown type (expected one of: \(ItemType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let levels = try strings("levels").map { text -> Level in
            guard let level = Level(rawValue: text) else { throw Failure(line: node["levels"]?.mark?.line, message: "unknown level '\(text)'") }
            return level
        }
        let directions: DirectionScope =
            node["directions"]?.string == "all" ? .all : .only(try strings("directions").map(Direction.init))
        let metadata = ItemMetadata(
            id: ItemID(rawValue: id), type: type, occupation: occupation, levels: levels, directions: directions,
            point: try string("point"), difficulty: try number("difficulty"),
            discrimination: node["discrimination"].flatMap { $0.null == nil ? $0.float : nil },
            points: try number("points"),
            enemyGroup: node["enemy_group"].flatMap { $0.null == nil ? $0.string : nil }.flatMap { $0.isEmpty ? nil : $0 },
            synthetic: node["synthetic"]?.bool ?? false, timeMinutes: type == .practicalTask ? node["time_minutes"]?.int : nil
        )
        var options: [String: String] = [:]
        if let optionNode = node["options"] {
            guard case .mapping(let optionMap) = optionNode else { throw Failure(line: optionNode.mark?.line, message: "options must map letters to text") }
            for (letter, text) in optionMap {
                guard let key = letter.string, let value = text.string else {
                    throw Failure(line: letter.mark?.line, message: "options must map letters to text")
                }
                options[key] = value
            }
        }
        let content = ItemContent(
            stem: node["stem"]?.string ?? "", options: options, answer: try answer(type),
            referenceAnswer: node["reference_answer"]?.string, scoring: try scoring(),
            explanation: node["explanation"]?.string, preparation: node["preparation"]?.string,
            statement: node["statement"]?.string, materials: try materials(), timeMinutes: node["time_minutes"]?.int
        )
        return ItemDraft(metadata: metadata, content: content)
    }

    private func string(_ key: String) throws -> String {
        guard let value = node[key], let text = value.string, !text.isEmpty else {
            throw Failure(line: node[key]?.mark?.line ?? node.mark?.line, message: "\(key) is required")
        }
        return text
    }

    private func strings(_ key: String) throws -> [String] {
        guard let sequence = node[key]?.sequence else {
            throw Failure(line: node[key]?.mark?.line ?? node.mark?.line, message: "\(key) must be a list")
        }
        return try sequence.map {
            guard let text = $0.string else { throw Failure(line: $0.mark?.line, message: "\(key) must hold text") }
            return text
        }
    }

    private func number(_ key: String) throws -> Double {
        guard let value = node[key]?.float else {
            throw Failure(line: node[key]?.mark?.line ?? node.mark?.line, message: "\(key) must be a number")
        }
        return value
    }

    private func answer(_ type: ItemType) throws -> AnswerKey? {
        switch type {
        case .singleChoice:
            return node["answer"]?.string.map { .option($0.uppercased()) }
        case .multipleChoice:
            guard let letters = node["answer"]?.sequence else { return nil }
            return .options(letters.compactMap { $0.string?.uppercased() }.sorted())
        case .trueFalse:
            return node["answer"]?.bool.map(AnswerKey.truth)
        case .fillIn:
            guard let blanks = node["blanks"]?.sequence else { return nil }
            return .blanks(try blanks.map { blank in
                if let single = blank.string { return [single] }
                guard let variants = blank.sequence else { throw Failure(line: blank.mark?.line, message: "a blank lists its accepted answers") }
                return variants.compactMap(\.string)
            })
        case .shortAnswer, .practicalTask:
            if let answer = node["answer"] { throw Failure(line: answer.mark?.line, message: "an examiner-scored item has no `answer`; use reference_answer and scoring") }
            return nil
        }
    }

    private func scoring() throws -> [ScoringPoint] {
        guard let rows = node["scoring"]?.sequence else { return [] }
        return try rows.map { row in
            guard let point = row["point"]?.string, let marks = row["marks"]?.float, let criteria = row["criteria"]?.string else {
                throw Failure(line: row.mark?.line, message: "a scoring point needs point, marks and criteria")
            }
            return ScoringPoint(point: point, marks: marks, criteria: criteria)
        }
    }

    private func materials() throws -> [Material] {
        guard let rows = node["materials"]?.sequence else { return [] }
        return try rows.map { row in
            guard let name = row["name"]?.string else { throw Failure(line: row.mark?.line, message: "a material needs a name") }
            return Material(name: name, description: row["description"]?.string ?? "")
        }
    }
}
