import Crypto
import ExamCore
import Foundation
import ItemBank
import PaperAssembly

/// A candidate's answer to one item, in the shape the protocol gives for its type.
public enum Answer: Sendable, Equatable, Codable {
    case choice(String)
    case choices([String])
    case value(Bool)
    case blanks([String])
    case text(String)
    /// A practical task's answer with files handed in (ids from the upload, docs/PROTOCOL.md §5).
    case work(text: String, files: [String])

    private enum Keys: String, CodingKey { case choice, choices, value, blanks, text, files }

    /// Files a practical answer may carry.
    public static let maximumFiles = 5

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if container.contains(.files) {
            guard Set(container.allKeys.map(\.stringValue)).isSubset(of: ["text", "files"]) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "files go with text only"))
            }
            self = .work(text: try container.decodeIfPresent(String.self, forKey: .text) ?? "", files: try container.decode([String].self, forKey: .files))
            return
        }
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "an answer has exactly one of choice, choices, value, blanks, text"))
        }
        switch key {
        case .choice: self = .choice(try container.decode(String.self, forKey: key))
        case .choices: self = .choices(try container.decode([String].self, forKey: key))
        case .value: self = .value(try container.decode(Bool.self, forKey: key))
        case .blanks: self = .blanks(try container.decode([String].self, forKey: key))
        case .text: self = .text(try container.decode(String.self, forKey: key))
        case .files: throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unreachable"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .choice(let letter): try container.encode(letter, forKey: .choice)
        case .choices(let letters): try container.encode(letters, forKey: .choices)
        case .value(let value): try container.encode(value, forKey: .value)
        case .blanks(let blanks): try container.encode(blanks, forKey: .blanks)
        case .text(let text): try container.encode(text, forKey: .text)
        case .work(let text, let files):
            try container.encode(text, forKey: .text)
            try container.encode(files, forKey: .files)
        }
    }

    /// The files a practical answer names (none for other answers).
    public var files: [String] { if case .work(_, let files) = self { files } else { [] } }

    /// Sorted keys, no extra spaces: the same answer is always the same bytes.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static let maximumCharacters = 20_000
}

/// The paper as one candidate receives it: items in their presentation order, keyed `Q1`, `Q2`, …,
/// options relabelled, no keys or scoring tables.
public struct DeliveredPaper: Sendable {
    public struct Item: Sendable, Codable, Equatable {
        public struct Option: Sendable, Codable, Equatable {
            public var letter: String
            public var text: String
        }

        public var key: String
        public var section: String
        public var type: ItemType
        public var points: Double
        public var stem: String
        public var options: [Option]?
        public var blanks: Int?
        public var statement: String?
        public var preparation: String?
        public var materials: [Material]?
        public var timeMinutes: Int?
    }

    public let package: PaperPackage
    public let presentation: Presentation

    /// Holds only the presentation (item order and option letters); items are built when sent or
    /// checked, so ten thousand candidates do not each keep a copy of the paper.
    public init(package: PaperPackage, seed: UInt64) {
        self.package = package
        presentation = Presentation.make(for: package, seed: seed)
    }

    /// Every item in the candidate's order.
    public var items: [Item] { presentation.entries.indices.map(build) }

    private func position(_ key: String) -> Int? {
        guard key.hasPrefix("Q"), let number = Int(key.dropFirst()), number >= 1, number <= presentation.entries.count, "Q\(number)" == key else { return nil }
        return number - 1
    }

    private func build(_ position: Int) -> Item {
        let entry = presentation.entries[position]
        let original = package.items[entry.item]
        let shown = presentation.displayed(entry, in: package)
        let blanks: Int? = if case .blanks(let accepted) = original.content.answer { accepted.count } else { nil }
        let hasOptions = original.type == .singleChoice || original.type == .multipleChoice
        return Item(
            key: "Q\(position + 1)", section: original.type.chineseName, type: original.type, points: original.points, stem: shown.stem,
            options: hasOptions ? shown.options.keys.sorted().map { Item.Option(letter: $0, text: shown.options[$0] ?? "") } : nil,
            blanks: original.type == .fillIn ? max(1, blanks ?? 1) : nil, statement: shown.statement, preparation: shown.preparation,
            materials: shown.materials.isEmpty ? nil : shown.materials, timeMinutes: shown.timeMinutes
        )
    }

    /// The seed of a candidate's presentation: stable for the sitting and candidate, unknowable
    /// without both.
    public static func seed(sitting: String, candidate: String) -> UInt64 {
        let digest = SHA256.hash(data: Data("assay-presentation-v1\u{0}\(sitting)\u{0}\(candidate)".utf8))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    public func item(_ key: String) -> Item? { position(key).map(build) }

    /// The canonical item behind a key (bank id and version), for scoring and the record.
    public func canonical(_ key: String) -> PackagedItem? {
        position(key).map { package.items[presentation.entries[$0].item] }
    }

    /// Checks an answer's shape against the item: the right kind, letters that exist, the right
    /// number of blanks, no more than 20,000 characters. Returns the answer normalised (letters
    /// upper-case and sorted, duplicates removed).
    public func check(_ answer: Answer, for key: String) -> Result<Answer, DeliveryError> {
        guard let item = item(key) else { return .failure(.unknownItem(key)) }
        let letters = Set(item.options?.map(\.letter) ?? [])
        func characters(_ texts: [String]) -> Bool { texts.reduce(0) { $0 + $1.count } <= Answer.maximumCharacters }
        switch (item.type, answer) {
        case (.singleChoice, .choice(let letter)):
            let upper = letter.uppercased()
            return letters.contains(upper) ? .success(.choice(upper)) : .failure(.badAnswer("\(key): no option \(letter)"))
        case (.multipleChoice, .choices(let chosen)):
            let upper = Set(chosen.map { $0.uppercased() })
            return upper.isSubset(of: letters) ? .success(.choices(upper.sorted())) : .failure(.badAnswer("\(key): unknown option"))
        case (.trueFalse, .value):
            return .success(answer)
        case (.fillIn, .blanks(let texts)):
            guard texts.count == item.blanks else { return .failure(.badAnswer("\(key): \(item.blanks ?? 1) blanks expected, \(texts.count) given")) }
            return characters(texts) ? .success(answer) : .failure(.badAnswer("\(key): too long"))
        case (.shortAnswer, .text(let text)), (.practicalTask, .text(let text)):
            return characters([text]) ? .success(answer) : .failure(.badAnswer("\(key): at most \(Answer.maximumCharacters) characters"))
        case (.practicalTask, .work(let text, let files)):
            guard characters([text]) else { return .failure(.badAnswer("\(key): at most \(Answer.maximumCharacters) characters")) }
            guard files.count <= Answer.maximumFiles, Set(files).count == files.count else {
                return .failure(.badAnswer("\(key): at most \(Answer.maximumFiles) different files"))
            }
            return .success(files.isEmpty ? .text(text) : answer)
        default:
            return .failure(.badAnswer("\(key): this answer does not fit a \(item.type.rawValue) item"))
        }
    }

    /// The letters a candidate chose, mapped back to the canonical options (for scoring).
    public func canonicalLetters(_ letters: [String], for key: String) -> [String] {
        guard let position = position(key) else { return [] }
        return presentation.canonical(letters, for: presentation.entries[position])
    }
}

public enum DeliveryError: Error, Sendable, Equatable {
    case unknownItem(String)
    case badAnswer(String)
    case notStarted
    case handedIn
    case paused
    case earlyHandIn(Date)

    public var code: String {
        switch self {
        case .unknownItem: "unknown_item"
        case .badAnswer: "bad_answer"
        case .notStarted: "not_started"
        case .handedIn: "handed_in"
        case .paused: "paused"
        case .earlyHandIn: "early_hand_in"
        }
    }

    public var message: String {
        switch self {
        case .unknownItem(let key): "试卷中没有 \(key) (no item \(key) on this paper)"
        case .badAnswer(let detail): "答案格式不正确 (\(detail))"
        case .notStarted: "考试尚未开始 (the sitting has not started)"
        case .handedIn: "已交卷，不能再修改 (already handed in)"
        case .paused: "考试已暂停 (time is paused)"
        case .earlyHandIn(let at): "开考后规定时间内不得交卷，最早交卷时间 \(ISO8601DateFormatter().string(from: at)) (hand-in opens at that time)"
        }
    }
}
