import ExamCore
import Foundation
import ItemBank

/// A frozen paper: the pinned item versions with their content, in canonical order. It exists in
/// clear only in memory: stored sealed under its own key wrapped by the bank key, and opened
/// when a sitting starts.
public struct PaperPackage: Sendable, Codable, Equatable {
    public var paperID: String
    public var occupation: OccupationCode
    public var level: Level
    public var direction: Direction
    public var part: ExamPart
    public var items: [PackagedItem]

    public init(paperID: String, occupation: OccupationCode, level: Level, direction: Direction, part: ExamPart, items: [PackagedItem]) {
        self.paperID = paperID
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.part = part
        self.items = items
    }

    public var totalPoints: Double { items.reduce(0) { $0 + $1.points } }
}

public struct PackagedItem: Sendable, Codable, Equatable {
    public var id: ItemID
    public var version: Int
    public var type: ItemType
    /// Points on this paper (the section's 题分, or the task's own points).
    public var points: Double
    public var content: ItemContent

    public init(id: ItemID, version: Int, type: ItemType, points: Double, content: ItemContent) {
        self.id = id
        self.version = version
        self.type = type
        self.points = points
        self.content = content
    }
}

/// Sealing and opening paper packages under the bank key.
public enum PaperSealing {
    static func label(_ paperID: String) -> String { "paper|\(paperID)" }

    /// Seals a package: needs only the bank's public key.
    public static func seal(_ package: PaperPackage, to bank: BankSealingKey) throws -> SealedItemVersion {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try ItemEnvelope.sealBlob(try encoder.encode(package), label: label(package.paperID), to: bank)
    }

    /// Re-wraps a sealed package's key under a rotated bank key.
    public static func rewrap(_ sealed: SealedItemVersion, paperID: String, from old: UnsealedBankKey, to new: UnsealedBankKey) throws -> SealedItemVersion {
        try ItemEnvelope.rewrapBlob(sealed, label: label(paperID), from: old, to: new)
    }

    /// Opens a sealed package of `paperID`.
    /// - Throws: `integrity_error` if it was altered or belongs to another paper; `stale_key`.
    public static func open(_ sealed: SealedItemVersion, paperID: String, with bank: UnsealedBankKey) throws -> PaperPackage {
        let data = try ItemEnvelope.openBlob(sealed, label: label(paperID), with: bank)
        let package = try JSONDecoder().decode(PaperPackage.self, from: data)
        guard package.paperID == paperID else {
            throw ExamError(.integrity, code: "integrity_error", message: "the package of \(paperID) names another paper")
        }
        return package
    }
}

/// One candidate's view of a paper: sections keep their order, items within a section and the
/// options of choice items are shuffled from the candidate's sitting seed. Scoring maps the
/// candidate's letters back to the canonical key.
public struct Presentation: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        /// Index into the package's items (canonical order).
        public var item: Int
        /// displayed letter → canonical letter (empty for items without options).
        public var options: [String: String]
    }

    public var entries: [Entry]

    /// The order for `seed`; the same package and seed always give the same presentation.
    public static func make(for package: PaperPackage, seed: UInt64) -> Presentation {
        var random = SeededGenerator(seed: seed)
        var entries: [Entry] = []
        var start = 0
        // Sections are runs of one type in the package's canonical order.
        while start < package.items.count {
            var end = start
            while end < package.items.count && package.items[end].type == package.items[start].type { end += 1 }
            var indices = Array(start..<end)
            shuffle(&indices, &random)
            for index in indices {
                let letters = package.items[index].content.options.keys.sorted()
                var shuffled = letters
                if package.items[index].type == .singleChoice || package.items[index].type == .multipleChoice { shuffle(&shuffled, &random) }
                entries.append(Entry(item: index, options: Dictionary(uniqueKeysWithValues: zip(letters, shuffled))))
            }
            start = end
        }
        return Presentation(entries: entries)
    }

    /// The item as this candidate sees it: options relabelled A, B, … in the shuffled order; the
    /// answer key and explanation removed.
    public func displayed(_ entry: Entry, in package: PaperPackage) -> ItemContent {
        var content = package.items[entry.item].content
        content.options = Dictionary(uniqueKeysWithValues: entry.options.map { displayed, canonical in
            (displayed, package.items[entry.item].content.options[canonical] ?? "")
        })
        content.answer = nil
        content.explanation = nil
        content.referenceAnswer = nil
        content.scoring = []
        return content
    }

    /// Maps letters the candidate chose back to canonical letters (sorted), for scoring.
    public func canonical(_ letters: [String], for entry: Entry) -> [String] {
        letters.compactMap { entry.options[$0] }.sorted()
    }

    static func shuffle<T>(_ values: inout [T], _ random: inout SeededGenerator) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, random.below(index + 1))
        }
    }
}
