import ExamCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// IMS QTI `assessmentItem` import (2.1, 2.2 and 3.0) for choice, text-entry and extended-text
/// interactions with the `match_correct` or `map_response` response-processing templates.
///
/// QTI carries no 鉴定点, level or difficulty, so the caller supplies the classification; every
/// item imported this way is a draft for authors to complete and review.
public enum QTIItemFormat {
    /// Classification given to every imported item.
    public struct Classification: Sendable {
        public var occupation: OccupationCode
        public var levels: [Level]
        public var point: String
        public var difficulty: Double

        public init(occupation: OccupationCode, levels: [Level], point: String, difficulty: Double = 0.65) {
            self.occupation = occupation
            self.levels = levels
            self.point = point
            self.difficulty = difficulty
        }
    }

    /// Parses one QTI item file. Any unsupported construct fails the file with a clear reason.
    public static func parse(_ data: Data, file: String, classification: Classification, standard: OccupationStandard?) -> Result<ItemDraft, ItemImportFailure> {
        func fail(_ message: String, _ id: String? = nil) -> Result<ItemDraft, ItemImportFailure> {
            .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: id, message: message)]))
        }
        // XMLDocument on Linux accepts some malformed input (reporting only on stderr), so check
        // well-formedness with the streaming parser first.
        let checker = XMLParser(data: data)
        // parse() can return true on Linux with an error recorded, so both are checked.
        guard checker.parse(), checker.parserError == nil else {
            return .failure(ItemImportFailure([ItemIssue(
                file: file, line: checker.lineNumber > 0 ? checker.lineNumber : nil, itemID: nil,
                message: "not well-formed XML (\(checker.parserError.map { "\($0)" } ?? "parse error"))"
            )]))
        }
        let document: XMLDocument
        do {
            document = try XMLDocument(data: data, options: [])
        } catch {
            return fail("not well-formed XML (\(error.localizedDescription))")
        }
        guard let root = document.rootElement(), ["assessmentItem", "qti-assessment-item"].contains(root.localName ?? "") else {
            return fail("not a QTI assessmentItem (the root element is \(document.rootElement()?.localName ?? "missing"))")
        }
        let version = root.localName == "qti-assessment-item" ? "3.0" : (root.uri?.contains("v2p2") == true ? "2.2" : "2.1")
        let identifier = Reader.rawAttribute(root, "identifier") ?? ""
        do {
            let draft = try Reader(root: root, qti3: version == "3.0", classification: classification).read(identifier: identifier)
            let problems = ItemValidator.problems(draft, standard: standard)
            if !problems.isEmpty {
                return .failure(ItemImportFailure(problems.map { ItemIssue(file: file, line: nil, itemID: identifier, message: $0) }))
            }
            return .success(draft)
        } catch let error as Reader.Failure {
            return fail(error.message, identifier)
        } catch {
            return fail("\(error)", identifier)
        }
    }

    struct Reader {
        struct Failure: Error { var message: String }

        let root: XMLElement
        let qti3: Bool
        let classification: Classification

        /// Element names in the QTI 2.x camelCase form; QTI 3.0 names are derived (`qti-` + kebab-case).
        func named(_ name: String) -> String {
            guard qti3 else { return name }
            var result = "qti-"
            for character in name {
                if character.isUppercase { result += "-" + character.lowercased() } else { result.append(character) }
            }
            return result
        }

        /// An attribute by its QTI 2.x name; QTI 3.0 spells attributes in kebab-case.
        func attribute(_ element: XMLElement, _ name: String) -> String? {
            if let value = Self.rawAttribute(element, name) { return value }
            guard qti3 else { return nil }
            var kebab = ""
            for character in name {
                if character.isUppercase { kebab += "-" + character.lowercased() } else { kebab.append(character) }
            }
            return Self.rawAttribute(element, kebab)
        }

        /// Looks an attribute up by name. (`attribute(forName:)` misses attributes of elements in a
        /// default namespace on Linux.)
        static func rawAttribute(_ element: XMLElement, _ name: String) -> String? {
            element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
        }

        func children(_ element: XMLElement, _ name: String) -> [XMLElement] {
            (element.children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == named(name) }
        }

        func descendants(_ element: XMLElement, _ name: String) -> [XMLElement] {
            var found: [XMLElement] = []
            for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) {
                if child.localName == named(name) { found.append(child) }
                found += descendants(child, name)
            }
            return found
        }

        static let supported = ["choiceInteraction", "textEntryInteraction", "extendedTextInteraction"]

        func read(identifier: String) throws -> ItemDraft {
            guard !identifier.isEmpty else { throw Failure(message: "the item has no identifier") }
            guard let body = children(root, "itemBody").first else { throw Failure(message: "the item has no itemBody") }
            try checkInteractions(body)
            try checkResponseProcessing()
            let choices = descendants(body, "choiceInteraction")
            let entries = descendants(body, "textEntryInteraction")
            let extended = descendants(body, "extendedTextInteraction")
            let kinds = [choices.isEmpty, entries.isEmpty, extended.isEmpty].filter { !$0 }.count
            guard kinds == 1, choices.count <= 1, extended.count <= 1 else {
                throw Failure(message: "only items with one choice interaction, text-entry interactions, or one extended-text interaction are supported")
            }
            let id = ItemID(rawValue: identifier)
            var content = ItemContent(stem: "")
            var type: ItemType
            var points = maxScore() ?? 1
            if let choice = choices.first {
                let simple = descendants(choice, "simpleChoice")
                guard (2...8).contains(simple.count) else { throw Failure(message: "a choice interaction needs 2 to 8 choices, has \(simple.count)") }
                let letters = Array(ItemValidator.letters.prefix(simple.count))
                var letterOf: [String: String] = [:]
                for (letter, option) in zip(letters, simple) {
                    letterOf[attribute(option, "identifier") ?? ""] = letter
                    content.options[letter] = text(of: option)
                }
                let responseID = attribute(choice, "responseIdentifier") ?? ""
                let correct = try correctValues(responseID).map { value -> String in
                    guard let letter = letterOf[value] else { throw Failure(message: "the correct response \(value) is not one of the choices") }
                    return letter
                }
                let maxChoices = Int(attribute(choice, "maxChoices") ?? "1") ?? 1
                if maxChoices == 1 {
                    type = .singleChoice
                    guard correct.count == 1 else { throw Failure(message: "a single-choice item needs exactly one correct response") }
                    content.answer = .option(correct[0])
                } else {
                    type = .multipleChoice
                    content.answer = .options(correct.sorted())
                    if maxScore() == nil { points = 2 }
                }
                let prompt = children(choice, "prompt").first.map { text(of: $0) } ?? ""
                content.stem = [text(of: body, skipping: ["choiceInteraction"]), prompt].filter { !$0.isEmpty }.joined(separator: "\n")
            } else if !entries.isEmpty {
                type = .fillIn
                var blanks: [[String]] = []
                for entry in entries {
                    let responseID = attribute(entry, "responseIdentifier") ?? ""
                    var variants = try correctValues(responseID, required: false)
                    variants += mappedValues(responseID).filter { !variants.contains($0) }
                    guard !variants.isEmpty else { throw Failure(message: "text entry \(responseID) has no correct response or mapping") }
                    blanks.append(variants)
                }
                content.answer = .blanks(blanks)
                content.stem = text(of: body, blankFor: "textEntryInteraction")
                if maxScore() == nil { points = Double(blanks.count) }
            } else {
                type = .shortAnswer
                let interaction = extended[0]
                let prompt = children(interaction, "prompt").first.map { text(of: $0) } ?? ""
                content.stem = [text(of: body, skipping: ["extendedTextInteraction"]), prompt].filter { !$0.isEmpty }.joined(separator: "\n")
                let responseID = attribute(interaction, "responseIdentifier") ?? ""
                let reference = try correctValues(responseID, required: false).joined(separator: "\n")
                content.referenceAnswer = reference.isEmpty ? "（QTI 文件未提供参考答案，请命题专家补充）" : reference
                content.scoring = [ScoringPoint(point: "整体评分", marks: points, criteria: "按参考答案评分（由 QTI 导入，请命题专家细化评分细则）")]
            }
            let metadata = ItemMetadata(
                id: id, type: type, occupation: classification.occupation, levels: classification.levels, directions: .all,
                point: classification.point, difficulty: classification.difficulty, points: points
            )
            return ItemDraft(metadata: metadata, content: content)
        }

        /// Refuses interactions this import does not understand, naming them.
        func checkInteractions(_ body: XMLElement) throws {
            var found: [String] = []
            func walk(_ element: XMLElement) {
                let name = element.localName ?? ""
                if name.hasSuffix("Interaction") || (name.hasPrefix("qti-") && name.hasSuffix("-interaction")) {
                    found.append(name)
                }
                for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) { walk(child) }
            }
            walk(body)
            let supported = Set(Self.supported.map(named))
            if let unsupported = found.first(where: { !supported.contains($0) }) {
                throw Failure(message: "unsupported interaction \(unsupported) (supported: choice, text entry, extended text)")
            }
        }

        func checkResponseProcessing() throws {
            guard let processing = children(root, "responseProcessing").first else { return }
            let template = attribute(processing, "template") ?? ""
            let hasRules = !(processing.children ?? []).compactMap({ $0 as? XMLElement }).isEmpty
            let name = (template as NSString).lastPathComponent.replacingOccurrences(of: ".xml", with: "")
            if name == "match_correct" || name == "map_response" { return }
            if template.isEmpty && !hasRules { return }
            throw Failure(message: template.isEmpty
                ? "custom response processing is not supported (use the match_correct or map_response template)"
                : "unsupported response processing template \(template)")
        }

        func declaration(_ responseID: String) -> XMLElement? {
            children(root, "responseDeclaration").first { attribute($0, "identifier") == responseID }
        }

        func correctValues(_ responseID: String, required: Bool = true) throws -> [String] {
            guard let declaration = declaration(responseID) else {
                if required { throw Failure(message: "no responseDeclaration for \(responseID)") }
                return []
            }
            let values = children(declaration, "correctResponse").flatMap { children($0, "value") }.map { ($0.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            if required && values.isEmpty { throw Failure(message: "response \(responseID) declares no correct response") }
            return values
        }

        /// Keys of a `mapping` with a positive mapped value (accepted variants under map_response).
        func mappedValues(_ responseID: String) -> [String] {
            guard let declaration = declaration(responseID) else { return [] }
            return children(declaration, "mapping").flatMap { children($0, "mapEntry") }.compactMap { entry in
                guard let key = attribute(entry, "mapKey"),
                    let value = Double(attribute(entry, "mappedValue") ?? ""), value > 0
                else { return nil }
                return key
            }
        }

        /// The SCORE outcome's normalMaximum, when declared.
        func maxScore() -> Double? {
            children(root, "outcomeDeclaration").first { attribute($0, "identifier") == "SCORE" }
                .flatMap { attribute($0, "normalMaximum") }.flatMap(Double.init)
        }

        func text(of element: XMLElement, skipping skipped: [String] = [], blankFor blank: String? = nil) -> String {
            var counter = 0
            func collect(_ node: XMLNode) -> String {
                if let element = node as? XMLElement {
                    let name = element.localName ?? ""
                    if let blank, name == named(blank) {
                        counter += 1
                        return "____(\(counter))"
                    }
                    if skipped.map(named).contains(name) { return "" }
                    let inner = (element.children ?? []).map(collect).joined()
                    return ["p", "div", "br", "li"].contains(name) ? inner + "\n" : inner
                }
                return node.kind == .text ? (node.stringValue ?? "") : ""
            }
            return collect(element).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }
}
