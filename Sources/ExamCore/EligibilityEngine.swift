import Foundation

/// What an applicant declares (告知承诺制) for the eligibility rules, as of the application date.
public struct ApplicantProfile: Sendable, Codable, Equatable {
    /// Highest education completed.
    public var education: Education?
    /// Education being completed this year (在读应届毕业生), if any.
    public var finalYearOf: Education?
    /// Whether the major (of the education above) is relevant to the occupation.
    public var relevantMajor: Bool
    /// Highest professional title held and when it was obtained.
    public var title: ProfessionalTitle?
    public var titleObtained: Date?
    /// Highest level certificate of this occupation held and when it was obtained.
    public var certificate: Level?
    public var certificateObtained: Date?
    /// Years worked in this occupation (whole years, as declared and evidenced).
    public var yearsInOccupation: Int
    /// Graduate of a technical school (技工院校) meeting national rules.
    public var technicalSchoolGraduate: Bool
    /// Training hours completed for the level applied for.
    public var trainingHours: Int

    public init(
        education: Education? = nil, finalYearOf: Education? = nil, relevantMajor: Bool = false, title: ProfessionalTitle? = nil,
        titleObtained: Date? = nil, certificate: Level? = nil, certificateObtained: Date? = nil, yearsInOccupation: Int = 0,
        technicalSchoolGraduate: Bool = false, trainingHours: Int = 0
    ) {
        self.education = education
        self.finalYearOf = finalYearOf
        self.relevantMajor = relevantMajor
        self.title = title
        self.titleObtained = titleObtained
        self.certificate = certificate
        self.certificateObtained = certificateObtained
        self.yearsInOccupation = yearsInOccupation
        self.technicalSchoolGraduate = technicalSchoolGraduate
        self.trainingHours = trainingHours
    }
}

/// One condition checked against a profile: whether it holds and why, in words.
public struct ConditionCheck: Sendable, Codable, Equatable {
    public var met: Bool
    /// Chinese first, e.g. "取得初级证书后满3年（实际4年）".
    public var text: String
    public var english: String
}

/// One clause checked: met when every condition is.
public struct ClauseCheck: Sendable, Codable, Equatable {
    public var id: String
    public var clause: String
    public var met: Bool
    public var conditions: [ConditionCheck]
}

/// The engine's answer for one application, with the reasons.
public struct EligibilityResult: Sendable, Codable, Equatable {
    public var level: Level
    public var eligible: Bool
    /// The training requirement, when the level has one.
    public var training: ConditionCheck?
    /// The first clause that is met, if any.
    public var metClause: String?
    public var clauses: [ClauseCheck]

    /// One paragraph: which clause is met and how, or every clause and why it fails.
    public var explanation: String {
        var lines: [String] = []
        if let training, !training.met { lines.append("培训条件不满足：\(training.text)") }
        if let id = metClause, let clause = clauses.first(where: { $0.id == id }) {
            let detail = clause.conditions.map(\.text).joined(separator: "；")
            lines.insert("符合\(level.rawValue)申报条件 \(id)：\(clause.clause)（\(detail)）", at: 0)
        } else {
            lines.append("不符合\(level.rawValue)任何一项申报条件：")
            for clause in clauses {
                lines.append("· \(clause.id) \(clause.clause)：" + clause.conditions.filter { !$0.met }.map(\.text).joined(separator: "；"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The same in English.
    public var englishExplanation: String {
        var lines: [String] = []
        if let training, !training.met { lines.append("training not met: \(training.english)") }
        if let id = metClause, let clause = clauses.first(where: { $0.id == id }) {
            lines.insert("meets \(level.rawValue) clause \(id): " + clause.conditions.map(\.english).joined(separator: " + "), at: 0)
        } else {
            lines.append("meets no \(level.rawValue) clause:")
            for clause in clauses {
                lines.append("- \(clause.id): " + clause.conditions.filter { !$0.met }.map(\.english).joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Evaluates the 申报条件 held as data in `Exams/` (DOMAIN.md §3) for one applicant.
///
/// Rules of reading, documented in docs/EXAMS.md:
/// - a title condition holds for that title or a higher one; years since a title count from the
///   date of the highest title held (a lower bound of the time since the lower title);
/// - a certificate condition holds for this occupation's certificate of that level or higher; years
///   since it count from the date of the highest certificate held;
/// - years are whole years between the dates (obtained 2023-06-30 → 3 years on 2026-06-30, not 2026-06-29);
/// - final-year students count for an education condition only where the clause says so.
public enum EligibilityEngine {
    public static func evaluate(
        _ profile: ApplicantProfile, rules: LevelEligibility, trainingHours required: Int, on date: Date
    ) -> EligibilityResult {
        let training: ConditionCheck? = rules.requiresTraining
            ? ConditionCheck(
                met: profile.trainingHours >= required,
                text: "培训满\(required)学时（实际\(profile.trainingHours)学时）",
                english: "\(required) training hours (has \(profile.trainingHours))"
            )
            : nil
        let clauses = rules.clauses.map { clause in
            let allowsFinalYear = clause.allOf.contains(.finalYearStudents(true))
            let checks = clause.allOf.compactMap { check($0, profile, allowsFinalYear: allowsFinalYear, on: date) }
            return ClauseCheck(id: clause.id, clause: clause.text, met: checks.allSatisfy(\.met), conditions: checks)
        }
        let met = clauses.first(where: \.met)
        return EligibilityResult(
            level: rules.level, eligible: (training?.met ?? true) && met != nil, training: training, metClause: met?.id, clauses: clauses
        )
    }

    /// Whole years from `start` to `end` (Asia/Shanghai calendar days).
    public static func wholeYears(from start: Date, to end: Date) -> Int {
        let calendar = CalendarDate.calendar
        return max(0, calendar.dateComponents([.year], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end)).year ?? 0)
    }

    static func check(_ condition: EligibilityCondition, _ profile: ApplicantProfile, allowsFinalYear: Bool, on date: Date) -> ConditionCheck? {
        switch condition {
        case .title(let title):
            let held = profile.title.map { $0 >= title } ?? false
            return ConditionCheck(
                met: held, text: "取得\(title.rawValue)职称（\(profile.title.map { "现为\($0.rawValue)" } ?? "无职称")）",
                english: "title \(title.rawValue) or higher (has \(profile.title?.rawValue ?? "none"))"
            )
        case .yearsSinceTitle(let years):
            let has = profile.titleObtained.map { wholeYears(from: $0, to: date) }
            return ConditionCheck(
                met: (has ?? -1) >= years, text: "取得职称后满\(years)年（\(has.map { "实际\($0)年" } ?? "未填取得时间")）",
                english: "\(years) years since the title (\(has.map { "has \($0)" } ?? "no date"))"
            )
        case .educationIn(let list):
            let names = list.map(\.rawValue).joined(separator: "/")
            let completed = profile.education.map(list.contains) ?? false
            let finalYear = allowsFinalYear && (profile.finalYearOf.map(list.contains) ?? false)
            let has = [profile.education.map(\.rawValue), profile.finalYearOf.map { "\($0.rawValue)在读应届" }].compactMap { $0 }
            return ConditionCheck(
                met: completed || finalYear, text: "学历为\(names)（\(has.isEmpty ? "未填学历" : has.joined(separator: "，"))）",
                english: "education \(names) (has \(has.isEmpty ? "none" : has.joined(separator: ", ")))"
            )
        case .relevantMajor(let required):
            guard required else { return nil }
            return ConditionCheck(
                met: profile.relevantMajor, text: "相关专业（\(profile.relevantMajor ? "是" : "否")）",
                english: "relevant major (\(profile.relevantMajor ? "yes" : "no"))"
            )
        case .finalYearStudents:
            return nil  // a permission read by the education condition, not a requirement of its own
        case .certificate(let level):
            let held = profile.certificate.map { $0 >= level } ?? false
            return ConditionCheck(
                met: held, text: "取得本职业\(level.rawValue)证书（\(profile.certificate.map { "持\($0.rawValue)证书" } ?? "无证书")）",
                english: "\(level.rawValue) certificate of this occupation (has \(profile.certificate?.rawValue ?? "none"))"
            )
        case .yearsSinceCertificate(let years):
            let has = profile.certificateObtained.map { wholeYears(from: $0, to: date) }
            return ConditionCheck(
                met: (has ?? -1) >= years, text: "取得证书后从事本职业满\(years)年（\(has.map { "实际\($0)年" } ?? "未填取得时间")）",
                english: "\(years) years since the certificate (\(has.map { "has \($0)" } ?? "no date"))"
            )
        case .yearsInOccupation(let years):
            return ConditionCheck(
                met: profile.yearsInOccupation >= years, text: "从事本职业满\(years)年（实际\(profile.yearsInOccupation)年）",
                english: "\(years) years in the occupation (has \(profile.yearsInOccupation))"
            )
        case .technicalSchool(let required):
            guard required else { return nil }
            return ConditionCheck(
                met: profile.technicalSchoolGraduate, text: "技工院校毕业生（\(profile.technicalSchoolGraduate ? "是" : "否")）",
                english: "technical-school graduate (\(profile.technicalSchoolGraduate ? "yes" : "no"))"
            )
        }
    }
}
