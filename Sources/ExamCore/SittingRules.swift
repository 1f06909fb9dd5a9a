import Foundation

/// How a staff member is related to a candidate (回避关系).
public enum RelationKind: String, Sendable, Codable, CaseIterable {
    case sameEmployer = "same_employer"
    case relative
    case teacherStudent = "teacher_student"
    case colleague

    public var chineseName: String {
        switch self {
        case .sameEmployer: "同一单位"
        case .relative: "亲属"
        case .teacherStudent: "师生"
        case .colleague: "同事"
        }
    }
}

/// A declared relation between a staff member and a candidate.
public struct StaffRelation: Sendable, Codable, Equatable, Hashable {
    public var staff: AccountID
    public var candidate: AccountID
    public var kind: RelationKind

    public init(staff: AccountID, candidate: AccountID, kind: RelationKind) {
        self.staff = staff
        self.candidate = candidate
        self.kind = kind
    }
}

/// One room of a sitting (or the online room): its seats, candidates and staff.
public struct RoomPlan: Sendable, Codable, Equatable {
    public var name: String
    public var capacity: Int
    public var candidates: [AccountID]
    /// Theory: invigilators (监考员). Practical: the examiners' panel (考评员).
    public var staff: [AccountID]
    /// Practical: the chief examiner (考评组长), one of `staff`.
    public var chief: AccountID?

    public init(name: String, capacity: Int, candidates: [AccountID], staff: [AccountID], chief: AccountID? = nil) {
        self.name = name
        self.capacity = capacity
        self.candidates = candidates
        self.staff = staff
        self.chief = chief
    }
}

/// A sitting (场次) as planned, checked before it may be published.
public struct SittingPlan: Sendable, Codable, Equatable {
    public var part: ExamPart
    public var rooms: [RoomPlan]
    /// Quality supervisors (督导员) of the sitting.
    public var supervisors: [AccountID]

    public init(part: ExamPart, rooms: [RoomPlan], supervisors: [AccountID]) {
        self.part = part
        self.rooms = rooms
        self.supervisors = supervisors
    }
}

/// The rules that block publishing a sitting. Each problem names the rule, the room and the numbers.
public enum SittingRules {
    /// Every reason the plan cannot be published (empty: it can).
    public static func problems(_ plan: SittingPlan, rule: StaffingRule, relations: [StaffRelation]) -> [String] {
        var problems: [String] = []
        let theory = plan.part == .theory
        let staffName = theory ? "监考员 (invigilators)" : "考评员 (examiners)"
        var seatOf: [AccountID: String] = [:]
        var roomOfStaff: [AccountID: String] = [:]
        let related = Dictionary(grouping: relations, by: \.staff)
        if plan.rooms.isEmpty { problems.append("考场：场次没有考场 (the sitting has no room)") }
        for room in plan.rooms {
            let label = "考场 \(room.name)"
            if room.candidates.count > room.capacity {
                problems.append("\(label)：安排\(room.candidates.count)名考生，超出容量\(room.capacity) (\(room.candidates.count) candidates for \(room.capacity) seats)")
            }
            for candidate in room.candidates {
                if let other = seatOf[candidate] {
                    problems.append("考生 \(candidate) 同时安排在\(other)和\(label) (a candidate placed twice)")
                }
                seatOf[candidate] = label
            }
            let needed = room.candidates.isEmpty ? 0 : rule.requiredStaff(forCandidates: room.candidates.count)
            let distinctStaff = Set(room.staff)
            if distinctStaff.count < needed {
                let odd = rule.oddPanel ? "，且须为奇数" : ""
                problems.append(
                    "\(label)：\(room.candidates.count)名考生至少需要\(needed)名\(staffName)（每\(rule.candidatesPerStaff)名考生1名，每考场至少\(rule.minStaffPerRoom)名\(odd)），现有\(distinctStaff.count)名 (\(room.candidates.count) candidates need at least \(needed) staff: 1 per \(rule.candidatesPerStaff), at least \(rule.minStaffPerRoom) per room\(rule.oddPanel ? ", an odd number" : ""); \(distinctStaff.count) assigned)"
                )
            } else if rule.oddPanel && distinctStaff.count % 2 == 0 {
                problems.append("\(label)：考评组人数须为奇数，现有\(distinctStaff.count)名 (the panel must be odd; \(distinctStaff.count) assigned)")
            }
            if rule.chiefExaminer {
                if room.chief == nil || !distinctStaff.contains(room.chief!) {
                    problems.append("\(label)：须指定一名考评组长，且为本组考评员 (one chief examiner from the panel is required)")
                }
            }
            for member in distinctStaff {
                if let other = roomOfStaff[member] {
                    problems.append("工作人员 \(member) 同时安排在\(other)和\(label) (staff assigned to two rooms)")
                }
                roomOfStaff[member] = label
                if room.candidates.contains(member) {
                    problems.append("\(label)：\(member) 既是考生又是工作人员 (a candidate cannot be staff)")
                }
                for relation in related[member] ?? [] where room.candidates.contains(relation.candidate) {
                    problems.append(
                        "\(label)：\(member) 与考生 \(relation.candidate) 存在\(relation.kind.chineseName)关系，须回避 (\(member) is related to candidate \(relation.candidate): \(relation.kind.rawValue))"
                    )
                }
            }
        }
        if plan.supervisors.isEmpty { problems.append("督导：场次须安排至少一名质量督导员 (a quality supervisor is required)") }
        for supervisor in plan.supervisors where seatOf[supervisor] != nil {
            problems.append("督导员 \(supervisor) 同时是本场次考生 (a supervisor cannot sit the exam)")
        }
        return problems
    }

    /// Draws `count` staff at random (seeded) from `pool`, never one related to any of `candidates`
    /// or already taken; nil when the pool cannot supply that many.
    public static func draw<G: RandomNumberGenerator>(
        _ count: Int, from pool: [AccountID], avoiding candidates: Set<AccountID>, relations: [StaffRelation], taken: Set<AccountID>,
        using generator: inout G
    ) -> [AccountID]? {
        let conflicted = Set(relations.filter { candidates.contains($0.candidate) }.map(\.staff))
        let eligible = pool.filter { !conflicted.contains($0) && !taken.contains($0) && !candidates.contains($0) }.sorted { $0.rawValue < $1.rawValue }
        guard eligible.count >= count else { return nil }
        return Array(eligible.shuffled(using: &generator).prefix(count))
    }
}
