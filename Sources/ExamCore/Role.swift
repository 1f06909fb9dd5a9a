/// A role a person holds in an evaluation body. A person may hold several.
///
/// The raw values are stable wire and database codes; never rename them.
public enum Role: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    /// 机构管理员: runs the body's accounts, keys and configuration.
    case bodyAdmin = "body_admin"
    /// 考务管理员: registration review, plans, sittings, rooms, staff, paper release.
    case examAdmin = "exam_admin"
    /// 命题专家: writes and revises items.
    case itemAuthor = "item_author"
    /// 题库管理员: holds a key share of the item bank.
    case bankCustodian = "bank_custodian"
    /// 考评员: invigilates theory sittings and marks practical tasks.
    case examiner
    /// 质量督导员: audits sittings, marking and item access; read-only on results.
    case supervisor
    /// 考生: applies, sits, sees results.
    case candidate

    /// The Chinese name shown to users.
    public var chineseName: String {
        switch self {
        case .bodyAdmin: "机构管理员"
        case .examAdmin: "考务管理员"
        case .itemAuthor: "命题专家"
        case .bankCustodian: "题库管理员"
        case .examiner: "考评员"
        case .supervisor: "质量督导员"
        case .candidate: "考生"
        }
    }

    /// Whether the role belongs to staff (anyone but candidates).
    public var isStaff: Bool { self != .candidate }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a role code, accepting the Chinese name too.
    public init?(code: String) {
        if let role = Role(rawValue: code) {
            self = role
        } else if let role = Role.allCases.first(where: { $0.chineseName == code }) {
            self = role
        } else {
            return nil
        }
    }
}
