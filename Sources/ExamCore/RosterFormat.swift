import Foundation

/// The roster template (报名花名册) an evaluation body fills when it registers candidates on their
/// behalf: one row per candidate and application. The first row is the header; column order is free.
public enum RosterFormat {
    public static let required = ["姓名", "证件类型", "证件号码", "职业编码", "等级"]
    public static let optional = [
        "用户名", "性别", "出生日期", "方向", "学历", "在读应届", "所学专业", "相关专业", "职称", "职称取得时间", "证书等级",
        "证书取得时间", "证书编号", "从事本职业年限", "培训学时", "工作单位",
    ]

    /// One good row.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var username: String
        public var identity: CandidateIdentity
        public var form: ApplicationForm
    }

    static let idTypes: [String: IDType] = [
        "居民身份证": .residentID, "身份证": .residentID, "resident_id": .residentID,
        "护照": .passport, "passport": .passport,
        "港澳居民来往内地通行证": .hongKongMacao, "港澳通行证": .hongKongMacao, "港澳居民居住证": .hongKongMacao, "hk_macao_permit": .hongKongMacao,
        "台湾居民来往大陆通行证": .taiwan, "台胞证": .taiwan, "台湾居民居住证": .taiwan, "taiwan_permit": .taiwan,
        "外国人永久居留身份证": .foreignPermanent, "foreign_permanent": .foreignPermanent,
    ]

    /// Reads every row; any problem anywhere fails the whole roster, listing each as `FILE:LINE: message`.
    public static func parse(rows: [[String]], file: String, standards: [OccupationStandard], today: Date) -> Result<[Row], RosterFailure> {
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            return .failure(RosterFailure(["\(file): the file is empty"]))
        }
        let missing = required.filter { !header.contains($0) }
        let unknown = header.filter { !$0.isEmpty && !required.contains($0) && !optional.contains($0) }
        var problems: [String] = []
        if !missing.isEmpty { problems.append("\(file):1: the header lacks the column(s) \(missing.joined(separator: ", "))") }
        if !unknown.isEmpty { problems.append("\(file):1: unknown column(s) \(unknown.joined(separator: ", "))") }
        if !problems.isEmpty { return .failure(RosterFailure(problems)) }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [Row] = []
        var firstLineOfID: [String: Int] = [:]
        var firstLineOfName: [String: Int] = [:]
        for (index, cells) in rows.enumerated().dropFirst() where !cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = index + 1
            func cell(_ name: String) -> String {
                guard let position = column[name], position < cells.count else { return "" }
                return cells[position].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var rowProblems: [String] = []
            func optionalValue<T>(_ name: String, _ parse: (String) -> T?) -> T? {
                let text = cell(name)
                if text.isEmpty { return nil }
                guard let value = parse(text) else { rowProblems.append("\(name) '\(text)' is not recognised"); return nil }
                return value
            }
            func flag(_ name: String) -> Bool {
                optionalValue(name) { text -> Bool? in
                    switch text.lowercased() {
                    case "是", "y", "yes", "true", "1", "√": true
                    case "否", "n", "no", "false", "0", "×": false
                    default: nil
                    }
                } ?? false
            }
            func number(_ name: String) -> Int { optionalValue(name) { Int($0) } ?? 0 }
            var identity: CandidateIdentity?
            if let idType = idTypes[cell("证件类型")] {
                do {
                    identity = try CandidateIdentity.validated(
                        name: cell("姓名"), idType: idType, idNumber: cell("证件号码"), gender: cell("性别"), birthDate: cell("出生日期"), today: today
                    )
                } catch let error as ExamError {
                    rowProblems.append(error.message)
                } catch {
                    rowProblems.append("\(error)")
                }
            } else {
                rowProblems.append("证件类型 '\(cell("证件类型"))' is not one of 居民身份证, 护照, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证")
            }
            let level = optionalValue("等级") { Level(rawValue: $0) }
            let education = optionalValue("学历") { Education(rawValue: $0) }
            let finalYear = flag("在读应届")
            if cell("等级").isEmpty { rowProblems.append("等级 is required (初级, 中级 or 高级)") }
            let form = ApplicationForm(
                occupation: OccupationCode(rawValue: cell("职业编码")), level: level ?? .junior, direction: cell("方向").isEmpty ? nil : cell("方向"),
                education: finalYear ? nil : education, finalYearOf: finalYear ? education : nil,
                major: cell("所学专业").isEmpty ? nil : cell("所学专业"), relevantMajor: flag("相关专业"),
                title: optionalValue("职称") { ProfessionalTitle(rawValue: $0) }, titleObtained: cell("职称取得时间").isEmpty ? nil : cell("职称取得时间"),
                certificate: optionalValue("证书等级") { Level(rawValue: $0) },
                certificateObtained: cell("证书取得时间").isEmpty ? nil : cell("证书取得时间"),
                certificateNumber: cell("证书编号").isEmpty ? nil : cell("证书编号"), yearsInOccupation: number("从事本职业年限"),
                technicalSchoolGraduate: !finalYear && education == .technicalSchool, trainingHours: number("培训学时"),
                employer: cell("工作单位").isEmpty ? nil : cell("工作单位")
            )
            if level != nil { rowProblems += form.problems(in: standards, today: today) }
            let username = cell("用户名").isEmpty ? identity.map { "c" + $0.idNumber.lowercased() } ?? "" : cell("用户名").lowercased()
            var samePerson = false
            if let identity {
                let key = "\(identity.idType.rawValue)|\(identity.idNumber)"
                if let other = firstLineOfID[key] {
                    rowProblems.append("证件号码 also on line \(other)")
                    samePerson = true
                } else {
                    firstLineOfID[key] = line
                }
            }
            if !username.isEmpty && !samePerson {
                if let other = firstLineOfName[username] { rowProblems.append("用户名 \(username) also on line \(other)") } else { firstLineOfName[username] = line }
            }
            if rowProblems.isEmpty, let identity {
                result.append(Row(line: line, username: username, identity: identity, form: form))
            } else {
                problems += rowProblems.map { "\(file):\(line): \($0)" }
            }
        }
        if result.isEmpty && problems.isEmpty { problems.append("\(file): no candidate rows") }
        return problems.isEmpty ? .success(result) : .failure(RosterFailure(problems))
    }
}

/// Every problem of a refused roster; nothing of it was imported.
public struct RosterFailure: Error, Sendable, Equatable {
    public var problems: [String]
    public init(_ problems: [String]) { self.problems = problems }
}
