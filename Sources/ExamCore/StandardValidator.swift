/// One problem found in an occupation standard: where (a YAML-style path) and what is wrong.
public struct StandardIssue: Sendable, Equatable, CustomStringConvertible {
    /// A path such as `weights.theory[3].related`.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Checks an occupation standard for the rules documented in `docs/EXAMS.md`.
///
/// Pure: it reports every issue it finds rather than stopping at the first.
public enum StandardValidator {
    /// The schema versions this build understands.
    public static let supportedSchemas: Set<Int> = [1]

    public static func validate(_ standard: OccupationStandard) -> [StandardIssue] {
        var issues: [StandardIssue] = []
        func fail(_ path: String, _ message: String) { issues.append(StandardIssue(path: path, message: message)) }

        if !supportedSchemas.contains(standard.schema) {
            fail("schema", "unsupported schema version \(standard.schema) (supported: 1)")
        }
        if !isOccupationCode(standard.code.rawValue) {
            fail("code", "'\(standard.code)' is not an occupation code like 2-02-10-09")
        }
        if standard.name.isBlank { fail("name", "must not be empty") }

        checkLevels(standard, fail)
        let treeCodes = checkTree(standard, fail)
        checkWeights(standard, functionCodes: treeCodes, fail)
        checkEligibility(standard, fail)
        return issues
    }

    private static func isOccupationCode(_ code: String) -> Bool {
        // One digit for the major group, then three two-digit groups: 2-02-10-09.
        let groups = code.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [1, 2, 2, 2] && groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
    }

    private static func checkLevels(_ standard: OccupationStandard, _ fail: (String, String) -> Void) {
        if standard.levels.isEmpty { fail("levels", "at least one level is required") }
        var seen: Set<Level> = []
        for (index, spec) in standard.levels.enumerated() {
            let path = "levels[\(index)]"
            if !seen.insert(spec.level).inserted { fail("\(path).level", "level \(spec.level.rawValue) appears twice") }
            if spec.directions.isEmpty {
                fail("\(path).directions", "must list at least one direction, or [不分方向]")
            }
            if spec.directions.contains(.undivided) && spec.directions.count > 1 {
                fail("\(path).directions", "不分方向 must stand alone")
            }
            var names: Set<Direction> = []
            for (d, direction) in spec.directions.enumerated() {
                if direction.name.isBlank { fail("\(path).directions[\(d)]", "empty direction name") }
                if !names.insert(direction).inserted {
                    fail("\(path).directions[\(d)]", "direction \(direction.name) appears twice")
                }
            }
            if spec.trainingHours < 0 { fail("\(path).training_hours", "must not be negative") }
            for part in ExamPart.allCases {
                checkPart(spec.parts[part], part: part, path: "\(path).parts.\(part.rawValue)", fail)
            }
        }
    }

    private static func checkPart(_ rules: PartRules, part: ExamPart, path: String, _ fail: (String, String) -> Void) {
        if !(1...600).contains(rules.durationMinutes) {
            fail("\(path).duration_minutes", "must be between 1 and 600 minutes, is \(rules.durationMinutes)")
        }
        if rules.fullMarks < 1 { fail("\(path).full_marks", "must be positive, is \(rules.fullMarks)") }
        if !(1...max(1, rules.fullMarks)).contains(rules.passMark) {
            fail("\(path).pass_mark", "must be between 1 and full_marks (\(rules.fullMarks)), is \(rules.passMark)")
        }
        if rules.lateEntryMinutes < 0 || rules.lateEntryMinutes >= rules.durationMinutes {
            fail("\(path).late_entry_minutes", "must be at least 0 and less than the duration (\(rules.durationMinutes))")
        }
        if rules.earliestHandInMinutes < 0 || rules.earliestHandInMinutes >= rules.durationMinutes {
            fail("\(path).earliest_hand_in_minutes", "must be at least 0 and less than the duration (\(rules.durationMinutes))")
        }
        if !(rules.scoring.partialShare > 0 && rules.scoring.partialShare < 1) {
            fail("\(path).scoring.partial_share", "must be more than 0 and less than 1, is \(rules.scoring.partialShare)")
        }
        let marking = rules.marking
        if !(marking.adjudicationShare > 0 && marking.adjudicationShare < 1) {
            fail("\(path).marking.adjudication_share", "must be more than 0 and less than 1, is \(marking.adjudicationShare)")
        }
        if !(marking.passBand >= 0 && marking.passBand < Double(rules.fullMarks)) {
            fail("\(path).marking.pass_band", "must be at least 0 and less than the full marks, is \(marking.passBand)")
        }
        if ![0.01, 0.1, 0.25, 0.5, 1].contains(marking.markStep) {
            fail("\(path).marking.mark_step", "must be one of 0.01, 0.1, 0.25, 0.5 or 1, is \(marking.markStep)")
        }
        let staffing = rules.staffing
        if staffing.candidatesPerStaff < 1 {
            fail("\(path).staffing.candidates_per_staff", "must be at least 1, is \(staffing.candidatesPerStaff)")
        }
        if staffing.minStaffPerRoom < 1 {
            fail("\(path).staffing.min_staff_per_room", "must be at least 1, is \(staffing.minStaffPerRoom)")
        }
        if staffing.oddPanel && staffing.minStaffPerRoom % 2 == 0 {
            fail("\(path).staffing.min_staff_per_room", "odd_panel is set but the minimum \(staffing.minStaffPerRoom) is even")
        }
        if staffing.chiefExaminer && staffing.minStaffPerRoom < 2 {
            fail("\(path).staffing.min_staff_per_room", "a panel with a chief examiner needs at least 2 staff")
        }
        // The programme's floors: a standard may be stricter, never looser.
        let floor = StaffingRule.floor(for: part)
        if staffing.candidatesPerStaff > floor.candidatesPerStaff {
            fail(
                "\(path).staffing.candidates_per_staff",
                "at most \(floor.candidatesPerStaff) candidates per staff member for the \(part.rawValue) part, is \(staffing.candidatesPerStaff)"
            )
        }
        if staffing.minStaffPerRoom < floor.minStaffPerRoom {
            fail(
                "\(path).staffing.min_staff_per_room",
                "the \(part.rawValue) part needs at least \(floor.minStaffPerRoom) staff per room or panel, is \(staffing.minStaffPerRoom)"
            )
        }
        if floor.oddPanel && !staffing.oddPanel {
            fail("\(path).staffing.odd_panel", "practical panels must have an odd number of examiners")
        }
        if floor.chiefExaminer && !staffing.chiefExaminer {
            fail("\(path).staffing.chief_examiner", "practical panels must have a chief examiner")
        }
    }

    /// Checks the 鉴定点 tree and returns the 职业功能 codes it defines.
    private static func checkTree(_ standard: OccupationStandard, _ fail: (String, String) -> Void) -> Set<String> {
        var codes: Set<String> = []
        var functionCodes: Set<String> = []
        let levels = Set(standard.levels.map(\.level))
        func claim(_ code: String, _ path: String) {
            if code.isBlank { fail(path, "empty code") }
            if !codes.insert(code).inserted { fail(path, "code \(code) is used twice") }
        }
        for basic in standard.basicRequirements.enumerated() {
            claim(basic.element.code, "basic_requirements[\(basic.offset)].code")
        }
        if standard.functions.isEmpty { fail("functions", "at least one 职业功能 is required") }
        for (f, function) in standard.functions.enumerated() {
            let fPath = "functions[\(f)]"
            claim(function.code, "\(fPath).code")
            functionCodes.insert(function.code)
            if function.contents.isEmpty { fail("\(fPath).contents", "职业功能 \(function.code) has no 工作内容") }
            for (c, content) in function.contents.enumerated() {
                let cPath = "\(fPath).contents[\(c)]"
                claim(content.code, "\(cPath).code")
                if !content.code.hasPrefix(function.code + ".") {
                    fail("\(cPath).code", "\(content.code) is not under 职业功能 \(function.code)")
                }
                if content.points.isEmpty { fail("\(cPath).points", "工作内容 \(content.code) has no 鉴定点") }
                for (p, point) in content.points.enumerated() {
                    let pPath = "\(cPath).points[\(p)]"
                    claim(point.code, "\(pPath).code")
                    if !point.code.hasPrefix(content.code + ".") {
                        fail("\(pPath).code", "\(point.code) is not under 工作内容 \(content.code)")
                    }
                    if point.levels.isEmpty { fail("\(pPath).levels", "鉴定点 \(point.code) lists no level") }
                    for (l, level) in point.levels.enumerated() where !levels.contains(level) {
                        fail("\(pPath).levels[\(l)]", "level \(level.rawValue) is not defined in levels")
                    }
                }
            }
        }
        return functionCodes
    }

    private static func checkWeights(
        _ standard: OccupationStandard,
        functionCodes: Set<String>,
        _ fail: (String, String) -> Void
    ) {
        let basicCodes = Set(standard.basicRequirements.map(\.code))
        let columns = standard.levels.flatMap { spec in spec.directions.map { ColumnKey(level: spec.level, direction: $0) } }

        func checkColumn(_ key: ColumnKey, _ path: String, _ seen: inout Set<ColumnKey>) {
            guard let spec = standard.spec(for: key.level) else {
                fail("\(path).level", "level \(key.level.rawValue) is not defined in levels")
                return
            }
            if !spec.directions.contains(key.direction) {
                fail("\(path).direction", "direction \(key.direction.name) is not a direction of \(key.level.rawValue)")
                return
            }
            if !seen.insert(key).inserted {
                fail(path, "a second column for \(key.level.rawValue) / \(key.direction.name)")
            }
        }
        func checkValues(_ values: [String: Int], known: Set<String>, what: String, _ path: String) {
            for (code, value) in values.sorted(by: { $0.key < $1.key }) {
                if !known.contains(code) { fail("\(path).\(code)", "\(what) \(code) does not exist") }
                if !(0...100).contains(value) { fail("\(path).\(code)", "weight \(value) is outside 0…100") }
            }
        }

        var theorySeen: Set<ColumnKey> = []
        for (index, column) in standard.weights.theory.enumerated() {
            let path = "weights.theory[\(index)]"
            checkColumn(ColumnKey(level: column.level, direction: column.direction), path, &theorySeen)
            checkValues(column.basic, known: basicCodes, what: "基本要求", "\(path).basic")
            checkValues(column.related, known: functionCodes, what: "职业功能", "\(path).related")
            if column.total != 100 {
                fail(path, "theory weights of \(column.level.rawValue) / \(column.direction.name) sum to \(column.total), not 100")
            }
        }
        var abilitySeen: Set<ColumnKey> = []
        for (index, column) in standard.weights.ability.enumerated() {
            let path = "weights.ability[\(index)]"
            checkColumn(ColumnKey(level: column.level, direction: column.direction), path, &abilitySeen)
            checkValues(column.functions, known: functionCodes, what: "职业功能", "\(path).functions")
            if column.total != 100 {
                fail(path, "ability weights of \(column.level.rawValue) / \(column.direction.name) sum to \(column.total), not 100")
            }
        }
        for key in columns {
            if !theorySeen.contains(key) {
                fail("weights.theory", "no column for \(key.level.rawValue) / \(key.direction.name)")
            }
            if !abilitySeen.contains(key) {
                fail("weights.ability", "no column for \(key.level.rawValue) / \(key.direction.name)")
            }
        }
    }

    private static func checkEligibility(_ standard: OccupationStandard, _ fail: (String, String) -> Void) {
        let levels = Set(standard.levels.map(\.level))
        var seenLevels: Set<Level> = []
        var clauseIDs: Set<String> = []
        for (index, entry) in standard.eligibility.enumerated() {
            let path = "eligibility[\(index)]"
            if !levels.contains(entry.level) {
                fail("\(path).level", "level \(entry.level.rawValue) is not defined in levels")
            }
            if !seenLevels.insert(entry.level).inserted {
                fail("\(path).level", "eligibility for \(entry.level.rawValue) appears twice")
            }
            if entry.clauses.isEmpty { fail("\(path).clauses", "at least one clause is required") }
            for (c, clause) in entry.clauses.enumerated() {
                let cPath = "\(path).clauses[\(c)]"
                if !clauseIDs.insert(clause.id).inserted { fail("\(cPath).id", "clause id \(clause.id) is used twice") }
                if clause.text.isBlank { fail("\(cPath).text", "must not be empty") }
                if clause.allOf.isEmpty { fail("\(cPath).all_of", "a clause needs at least one condition") }
                for (k, condition) in clause.allOf.enumerated() {
                    if let years = condition.yearCount, !(0...60).contains(years) {
                        fail("\(cPath).all_of[\(k)]", "year count \(years) is outside 0…60")
                    }
                    if case .educationIn(let list) = condition, list.isEmpty {
                        fail("\(cPath).all_of[\(k)].education_in", "must list at least one education")
                    }
                }
            }
        }
        for level in standard.levels.map(\.level) where !seenLevels.contains(level) {
            fail("eligibility", "no eligibility clauses for \(level.rawValue)")
        }
    }

    private struct ColumnKey: Hashable {
        var level: Level
        var direction: Direction
    }
}

extension String {
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
