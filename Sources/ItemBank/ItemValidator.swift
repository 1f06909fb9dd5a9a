import ExamCore
import Foundation

/// Checks an item against its occupation standard and the rules of its type.
///
/// Pure; returns every problem (as messages) rather than stopping at the first.
public enum ItemValidator {
    static let letters = ["A", "B", "C", "D", "E", "F", "G", "H"]

    public static func problems(_ draft: ItemDraft, standard: OccupationStandard?) -> [String] {
        var problems: [String] = []
        let meta = draft.metadata
        let content = draft.content
        let id = meta.id.rawValue
        if id.isEmpty || id.count > 40 || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            problems.append("the id must be 1–40 of A-Z, a-z, 0-9, '-' and '_'")
        }
        if let standard {
            problems += classificationProblems(meta, standard: standard)
        } else {
            problems.append("occupation \(meta.occupation) is not one of the loaded standards")
        }
        if !(0.0...1.0).contains(meta.difficulty) || meta.difficulty.isNaN {
            problems.append("difficulty must be a proportion correct between 0 and 1, is \(meta.difficulty)")
        }
        if let discrimination = meta.discrimination, !(-1.0...1.0).contains(discrimination) {
            problems.append("discrimination must be between -1 and 1, is \(discrimination)")
        }
        if !(meta.points > 0 && meta.points <= 100) {
            problems.append("points must be more than 0 and at most 100, is \(meta.points)")
        }
        if content.stem.allSatisfy(\.isWhitespace) && meta.type != .practicalTask {
            problems.append("the stem is empty")
        }
        problems += typeProblems(meta, content)
        return problems
    }

    private static func classificationProblems(_ meta: ItemMetadata, standard: OccupationStandard) -> [String] {
        var problems: [String] = []
        if meta.levels.isEmpty { problems.append("no level given") }
        let basicCodes = Set(standard.basicRequirements.map(\.code))
        let point = standard.functions.flatMap(\.contents).flatMap(\.points).first { $0.code == meta.point }
        if point == nil && !basicCodes.contains(meta.point) {
            problems.append("鉴定点 \(meta.point) is not in the standard \(standard.code)")
        }
        for level in meta.levels {
            guard let spec = standard.spec(for: level) else {
                problems.append("level \(level.rawValue) is not a level of \(standard.code)")
                continue
            }
            if let point, !point.levels.contains(level) {
                problems.append("鉴定点 \(meta.point) is not examined at \(level.rawValue)")
            }
            if case .only(let directions) = meta.directions {
                for direction in directions where !spec.directions.contains(direction) {
                    problems.append("direction \(direction.name) is not a direction of \(level.rawValue)")
                }
            }
        }
        if case .only(let directions) = meta.directions, directions.isEmpty {
            problems.append("directions must be `all` or a non-empty list")
        }
        if meta.type == .practicalTask, point == nil, !basicCodes.isEmpty, basicCodes.contains(meta.point) {
            problems.append("a practical task must assess a 鉴定点 of a 职业功能, not a 基本要求")
        }
        return problems
    }

    private static func typeProblems(_ meta: ItemMetadata, _ content: ItemContent) -> [String] {
        var problems: [String] = []
        let optionLetters = content.options.keys.sorted()
        func checkOptions() {
            if optionLetters.count < 2 { problems.append("a choice item needs at least 2 options") }
            if optionLetters != Array(letters.prefix(optionLetters.count)) {
                problems.append("options must be lettered A, B, C … without gaps (have \(optionLetters.joined(separator: ", ")))")
            }
            for (letter, text) in content.options where text.allSatisfy(\.isWhitespace) {
                problems.append("option \(letter) is empty")
            }
        }
        func checkScoring() {
            if content.scoring.isEmpty { problems.append("a scoring table (评分细则) is required") }
            let total = content.scoring.reduce(0) { $0 + $1.marks }
            if !content.scoring.isEmpty && abs(total - meta.points) > 0.001 {
                problems.append("the scoring table's marks sum to \(format(total)), not the item's \(format(meta.points)) points")
            }
            for (index, row) in content.scoring.enumerated() {
                if row.marks <= 0 { problems.append("scoring point \(index + 1) has no marks") }
                if row.point.allSatisfy(\.isWhitespace) || row.criteria.allSatisfy(\.isWhitespace) {
                    problems.append("scoring point \(index + 1) needs a name and 评分细则")
                }
            }
        }
        switch meta.type {
        case .singleChoice:
            checkOptions()
            guard case .option(let letter) = content.answer else {
                problems.append("a single-choice item needs one answer letter")
                break
            }
            if content.options[letter] == nil { problems.append("the answer \(letter) is not one of the options") }
        case .multipleChoice:
            checkOptions()
            guard case .options(let answer) = content.answer else {
                problems.append("a multiple-choice item needs a list of at least 2 answer letters")
                break
            }
            if answer.count < 2 { problems.append("a multiple-choice answer has at least 2 letters") }
            if Set(answer).count != answer.count { problems.append("the answer repeats a letter") }
            for letter in answer where content.options[letter] == nil {
                problems.append("the answer \(letter) is not one of the options")
            }
        case .trueFalse:
            if !content.options.isEmpty { problems.append("a true/false item has no options") }
            guard case .truth = content.answer else {
                problems.append("a true/false item needs the answer true or false")
                break
            }
        case .fillIn:
            guard case .blanks(let blanks) = content.answer, !blanks.isEmpty else {
                problems.append("a fill-in item needs `blanks`: the accepted answers of each blank")
                break
            }
            for (index, variants) in blanks.enumerated()
            where variants.isEmpty || variants.contains(where: { AnswerNormaliser.normalise($0).isEmpty }) {
                problems.append("blank \(index + 1) needs at least one non-empty accepted answer")
            }
            let markers = AnswerNormaliser.blankMarkers(in: content.stem)
            if markers != Array(1...blanks.count) {
                problems.append("the stem marks blanks \(markers) but \(blanks.count) blank(s) have answers (write ____(1), ____(2) …)")
            }
        case .shortAnswer:
            if (content.referenceAnswer ?? "").allSatisfy(\.isWhitespace) { problems.append("a short-answer item needs a reference answer") }
            checkScoring()
        case .practicalTask:
            if (content.preparation ?? "").allSatisfy(\.isWhitespace) { problems.append("a practical task needs its 考核准备通知单 (preparation)") }
            if (content.statement ?? "").allSatisfy(\.isWhitespace) { problems.append("a practical task needs its task statement") }
            if !(1...600).contains(content.timeMinutes ?? 0) { problems.append("a practical task needs time_minutes between 1 and 600") }
            checkScoring()
        }
        if !meta.type.isObjective, case .some = content.answer {
            problems.append("an examiner-scored item has no answer key; use reference_answer and scoring")
        }
        return problems
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
