import Foundation

/// Kinds of identity document a candidate may register with.
public enum IDType: String, Sendable, Codable, CaseIterable {
    /// 居民身份证 (checked: region, birth date, check character).
    case residentID = "resident_id"
    /// 护照
    case passport
    /// 港澳居民来往内地通行证 / 港澳居民居住证
    case hongKongMacao = "hk_macao_permit"
    /// 台湾居民来往大陆通行证 / 台湾居民居住证
    case taiwan = "taiwan_permit"
    /// 外国人永久居留身份证
    case foreignPermanent = "foreign_permanent"

    public var chineseName: String {
        switch self {
        case .residentID: "居民身份证"
        case .passport: "护照"
        case .hongKongMacao: "港澳居民来往内地通行证"
        case .taiwan: "台湾居民来往大陆通行证"
        case .foreignPermanent: "外国人永久居留身份证"
        }
    }
}

/// Who a candidate is, as registered: name, identity document, gender and birth date (derived
/// from a resident ID number, declared otherwise).
public struct CandidateIdentity: Sendable, Codable, Equatable {
    public var name: String
    public var idType: IDType
    public var idNumber: String
    public var gender: NationalID.Gender
    /// `yyyy-MM-dd`.
    public var birthDate: String

    public init(name: String, idType: IDType, idNumber: String, gender: NationalID.Gender, birthDate: String) {
        self.name = name
        self.idType = idType
        self.idNumber = idNumber
        self.gender = gender
        self.birthDate = birthDate
    }

    /// Checks and normalises what a candidate typed.
    /// - Throws: `invalid_name`, `invalid_id_number`, `id_mismatch` (declared gender or birth date
    ///   contradict the ID number), `invalid_gender`, `invalid_date`.
    public static func validated(
        name rawName: String, idType: IDType, idNumber rawNumber: String, gender: String?, birthDate: String?, today: Date = Date()
    ) throws -> CandidateIdentity {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ExamError.invalid("invalid_name", "姓名须为1–50个字符 (a name has 1 to 50 printable characters)")
        }
        let declaredGender = try gender.flatMap { text -> NationalID.Gender? in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            switch trimmed.lowercased() {
            case "男", "male", "m": return .male
            case "女", "female", "f": return .female
            default: throw ExamError.invalid("invalid_gender", "性别须为男或女 (gender must be 男 or 女)")
            }
        }
        let declaredBirth = try birthDate.flatMap { text -> String? in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : try CalendarDate.parse(trimmed, field: "出生日期 (birth date)", today: today)
        }
        switch idType {
        case .residentID:
            let id = try NationalID(rawNumber, today: today)
            let derived = String(format: "%04d-%02d-%02d", id.birthDate.year!, id.birthDate.month!, id.birthDate.day!)
            if let declaredGender, declaredGender != id.gender {
                throw ExamError.invalid("id_mismatch", "填写的性别与身份证号码不符 (the gender does not match the ID number)")
            }
            if let declaredBirth, declaredBirth != derived {
                throw ExamError.invalid("id_mismatch", "填写的出生日期与身份证号码不符 (the birth date does not match the ID number: \(derived))")
            }
            return CandidateIdentity(name: name, idType: idType, idNumber: id.number, gender: id.gender, birthDate: derived)
        default:
            let number = rawNumber.trimmingCharacters(in: .whitespaces).uppercased()
            guard (5...30).contains(number.count), number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ExamError.invalid("invalid_id_number", "证件号码须为5–30位字母、数字或连字符 (a document number has 5 to 30 letters, digits or hyphens)")
            }
            guard let declaredGender, let declaredBirth else {
                throw ExamError.invalid("invalid_identity", "使用\(idType.chineseName)须填写性别和出生日期 (give gender and birth date with this document)")
            }
            return CandidateIdentity(name: name, idType: idType, idNumber: number, gender: declaredGender, birthDate: declaredBirth)
        }
    }

    /// The number with its middle hidden, for people who need to recognise, not read, it.
    public var maskedIDNumber: String {
        guard idNumber.count > 6 else { return String(repeating: "*", count: idNumber.count) }
        return String(idNumber.prefix(4)) + String(repeating: "*", count: idNumber.count - 7) + String(idNumber.suffix(3))
    }
}

/// Calendar dates as `yyyy-MM-dd` in Beijing time.
public enum CalendarDate {
    /// The Gregorian calendar in Beijing time, which every date rule of the programme uses.
    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }

    /// `yyyyMMdd` of `date` in Beijing.
    public static func compact(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", parts.year!, parts.month!, parts.day!)
    }

    /// A record identifier such as `APP-20261129-3F9A01C2`: a prefix, the Beijing date and
    /// `bytes` random bytes in upper-case hex.
    public static func recordID(_ prefix: String, at date: Date, bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let suffix = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString.uppercased()
        return "\(prefix)-\(compact(date))-\(suffix)"
    }

    /// Checks a date: real, from 1900, not after `today`. Returns it normalised.
    public static func parse(_ text: String, field: String, today: Date) throws -> String {
        let parts = text.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2] else {
            throw ExamError.invalid("invalid_date", "\(field)须为 yyyy-MM-dd (\(text))")
        }
        guard year >= 1900, let date = real(year: year, month: month, day: day) else {
            throw ExamError.invalid("invalid_date", "\(field)不是有效日期 (\(text))")
        }
        guard date <= today else { throw ExamError.invalid("invalid_date", "\(field)不能晚于今天 (\(text) is in the future)") }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The start of a day that exists in the calendar (no 30 February), else nil.
    public static func real(year: Int, month: Int, day: Int) -> Date? {
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components), calendar.dateComponents([.year, .month, .day], from: date) == components else { return nil }
        return date
    }

    /// A strictly written `yyyy-MM-dd` date that exists, else nil.
    public static func strict(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        return real(year: year, month: month, day: day)
    }

    /// `yyyy-MM-dd HH:mm` in Beijing, for lists and messages people read.
    public static func minute(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// The start of that day in Beijing.
    public static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}

/// What a candidate declares when applying for a level (申报), under the honesty commitment.
public struct ApplicationForm: Sendable, Codable, Equatable {
    public var occupation: OccupationCode
    public var level: Level
    /// Nil where the level has no directions (不分方向).
    public var direction: String?
    public var education: Education?
    public var finalYearOf: Education?
    /// The major's name (所学专业), as written on the diploma.
    public var major: String?
    public var relevantMajor: Bool
    public var title: ProfessionalTitle?
    /// `yyyy-MM-dd`
    public var titleObtained: String?
    public var certificate: Level?
    /// `yyyy-MM-dd`
    public var certificateObtained: String?
    public var certificateNumber: String?
    public var yearsInOccupation: Int
    public var technicalSchoolGraduate: Bool
    public var trainingHours: Int
    public var employer: String?

    public init(
        occupation: OccupationCode, level: Level, direction: String?, education: Education? = nil, finalYearOf: Education? = nil,
        major: String? = nil, relevantMajor: Bool = false, title: ProfessionalTitle? = nil, titleObtained: String? = nil,
        certificate: Level? = nil, certificateObtained: String? = nil, certificateNumber: String? = nil, yearsInOccupation: Int = 0,
        technicalSchoolGraduate: Bool = false, trainingHours: Int = 0, employer: String? = nil
    ) {
        self.occupation = occupation
        self.level = level
        self.direction = direction
        self.education = education
        self.finalYearOf = finalYearOf
        self.major = major
        self.relevantMajor = relevantMajor
        self.title = title
        self.titleObtained = titleObtained
        self.certificate = certificate
        self.certificateObtained = certificateObtained
        self.certificateNumber = certificateNumber
        self.yearsInOccupation = yearsInOccupation
        self.technicalSchoolGraduate = technicalSchoolGraduate
        self.trainingHours = trainingHours
        self.employer = employer
    }

    /// Every problem with the form against the standard, all at once.
    public func problems(in standards: [OccupationStandard], today: Date) -> [String] {
        var problems: [String] = []
        guard let standard = standards.first(where: { $0.code == occupation }) else {
            return ["occupation: 没有职业 \(occupation) (unknown occupation)"]
        }
        if let spec = standard.levels.first(where: { $0.level == level }) {
            if spec.examinedDirections.isEmpty {
                if let direction, !direction.isEmpty, direction != Direction.undivided.name {
                    problems.append("direction: \(level.rawValue)不分方向 (\(level.rawValue) has no directions)")
                }
            } else if direction.map({ !spec.examinedDirections.contains(Direction($0)) }) ?? true {
                problems.append("direction: 请选择方向：\(spec.examinedDirections.map(\.name).joined(separator: "、")) (choose a direction)")
            }
        } else {
            problems.append("level: \(standard.name)没有\(level.rawValue) (no such level)")
        }
        for (field, value) in [("titleObtained", titleObtained), ("certificateObtained", certificateObtained)] {
            if let value, (try? CalendarDate.parse(value, field: field, today: today)) == nil {
                problems.append("\(field): \(value) 不是今天或以前的有效日期 (not a valid past date)")
            }
        }
        if titleObtained != nil && title == nil { problems.append("titleObtained: 填写了取得时间但没有职称 (a date without a title)") }
        if certificateObtained != nil && certificate == nil {
            problems.append("certificateObtained: 填写了取得时间但没有证书 (a date without a certificate)")
        }
        if !(0...60).contains(yearsInOccupation) { problems.append("yearsInOccupation: 须为0–60 (0 to 60)") }
        if !(0...10_000).contains(trainingHours) { problems.append("trainingHours: 须为0–10000 (0 to 10,000)") }
        if let major, major.count > 100 { problems.append("major: 至多100字 (at most 100 characters)") }
        if let employer, employer.count > 200 { problems.append("employer: 至多200字 (at most 200 characters)") }
        return problems
    }

    /// The facts the eligibility engine reads.
    public var profile: ApplicantProfile {
        ApplicantProfile(
            education: education, finalYearOf: finalYearOf, relevantMajor: relevantMajor, title: title,
            titleObtained: titleObtained.flatMap(CalendarDate.date), certificate: certificate,
            certificateObtained: certificateObtained.flatMap(CalendarDate.date), yearsInOccupation: yearsInOccupation,
            technicalSchoolGraduate: technicalSchoolGraduate, trainingHours: trainingHours
        )
    }
}

/// Where an application is: submitted by the candidate, then approved or rejected (with a reason)
/// by the exam administrator; a candidate may withdraw a submitted one.
public enum ApplicationStatus: String, Sendable, Codable, CaseIterable {
    case submitted, approved, rejected, withdrawn
}
