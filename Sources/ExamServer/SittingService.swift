import Accounts
import Audit
import ExamCore
import Foundation
import Storage

/// Sittings (场次): create with rooms, place approved candidates, assign or draw staff, name
/// supervisors, and publish only when every staffing and conflict rule holds.
public struct SittingService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]
    public let clock: any WallClock

    public init(store: Store, standards: [OccupationStandard], clock: any WallClock) {
        self.store = store
        self.standards = standards
        self.clock = clock
    }

    public struct NewSitting: Sendable, Codable {
        public var occupation: OccupationCode
        public var level: Level
        public var direction: String?
        /// `theory` or `ability`.
        public var part: ExamPart
        /// ISO 8601 with an offset, e.g. `2026-12-20T09:00:00+08:00`.
        public var startsAt: String
        public var venue: String
        public var rooms: [Room]

        public struct Room: Sendable, Codable {
            public var name: String
            public var capacity: Int

            public init(name: String, capacity: Int) {
                self.name = name
                self.capacity = capacity
            }
        }

        public init(occupation: OccupationCode, level: Level, direction: String?, part: ExamPart, startsAt: String, venue: String, rooms: [Room]) {
            self.occupation = occupation
            self.level = level
            self.direction = direction
            self.part = part
            self.startsAt = startsAt
            self.venue = venue
            self.rooms = rooms
        }
    }

    /// Creates a draft sitting; its duration comes from the standard.
    public func create(_ request: NewSitting, actor: String) async throws -> SittingRecord {
        guard let standard = standards.first(where: { $0.code == request.occupation }) else {
            throw ExamError.invalid("unknown_exam", "没有职业 \(request.occupation) (unknown occupation)")
        }
        guard let spec = standard.levels.first(where: { $0.level == request.level }) else {
            throw ExamError.invalid("unknown_level", "\(standard.name)没有\(request.level.rawValue) (no such level)")
        }
        var problems: [String] = []
        let directions = spec.examinedDirections
        if !directions.isEmpty && request.direction.map({ !directions.contains(Direction($0)) }) ?? true {
            problems.append("direction: 请选择方向：\(directions.map(\.name).joined(separator: "、")) (choose a direction of the level)")
        }
        let startsAt = ISO8601DateFormatter().date(from: request.startsAt)
        if let startsAt, startsAt <= clock.now() { problems.append("startsAt: 开考时间须在将来 (the start must be in the future)") }
        if startsAt == nil { problems.append("startsAt: 须为带时区的 ISO 8601 时间，如 2026-12-20T09:00:00+08:00 (ISO 8601 with an offset)") }
        let venue = request.venue.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...100).contains(venue.count) { problems.append("venue: 考点名称须为1–100字 (1 to 100 characters)") }
        if request.rooms.isEmpty { problems.append("rooms: 至少一个考场 (at least one room)") }
        for (index, room) in request.rooms.enumerated() {
            if room.name.trimmingCharacters(in: .whitespaces).isEmpty || room.name.count > 40 {
                problems.append("rooms[\(index)].name: 考场名称须为1–40字 (1 to 40 characters)")
            }
            if !(1...500).contains(room.capacity) { problems.append("rooms[\(index)].capacity: 容量须为1–500 (1 to 500)") }
        }
        if Set(request.rooms.map(\.name)).count != request.rooms.count { problems.append("rooms: 考场名称重复 (room names repeat)") }
        guard problems.isEmpty else { throw ExamError.invalid("invalid_sitting", problems.joined(separator: "; ")) }
        let now = clock.now()
        let record = SittingRecord(
            id: CalendarDate.recordID("SIT", at: now, bytes: 3), occupation: request.occupation, level: request.level, direction: directions.isEmpty ? nil : request.direction,
            part: request.part, startsAt: startsAt!, durationMinutes: spec.parts[request.part].durationMinutes, venue: venue,
            plan: SittingPlan(part: request.part, rooms: request.rooms.map { RoomPlan(name: $0.name, capacity: $0.capacity, candidates: [], staff: []) }, supervisors: []),
            status: .draft, createdBy: actor, createdAt: now
        )
        try await store.sittings.create(
            record,
            audit: AuditEvent(
                actor: actor, action: "sitting.created", subject: "sitting:\(record.id)",
                payload: [
                    "occupation": .string(record.occupation.rawValue), "level": .string(record.level.rawValue), "part": .string(record.part.rawValue),
                    "starts_at": .string(ISO8601DateFormatter().string(from: record.startsAt)), "rooms": .int(record.plan.rooms.count),
                ]
            )
        )
        return record
    }

    /// Places every approved candidate of the sitting's occupation, level and direction who is not
    /// yet in it, room by room in order, up to each room's capacity.
    /// - Returns: the sitting and how many approved candidates did not fit.
    public func place(_ id: String, actor: String) async throws -> (SittingRecord, unplaced: Int) {
        var sitting = try await draft(id)
        let approved = try await store.applications.applications(ApplicationFilter(status: .approved, occupation: sitting.occupation, level: sitting.level))
            .filter { sitting.direction == nil || $0.form.direction == sitting.direction }
            .sorted { $0.createdAt < $1.createdAt }
        var placed = Set(sitting.plan.rooms.flatMap(\.candidates))
        var unplaced = 0
        for application in approved where !placed.contains(application.accountID) {
            guard let room = sitting.plan.rooms.firstIndex(where: { $0.candidates.count < $0.capacity }) else {
                unplaced += 1
                continue
            }
            sitting.plan.rooms[room].candidates.append(application.accountID)
            placed.insert(application.accountID)
        }
        try await store.sittings.updatePlan(
            id, plan: sitting.plan,
            audit: AuditEvent(
                actor: actor, action: "sitting.candidates_placed", subject: "sitting:\(id)",
                payload: ["placed": .int(placed.count), "unplaced": .int(unplaced)]
            )
        )
        return (sitting, unplaced)
    }

    /// Sets a room's staff (examiners serve as invigilators in theory rooms and as the panel in
    /// practical ones) and, for practical panels, the chief examiner.
    public func assignStaff(_ id: String, room name: String, staff: [AccountID], chief: AccountID?, actor: String) async throws -> SittingRecord {
        var sitting = try await draft(id)
        guard let room = sitting.plan.rooms.firstIndex(where: { $0.name == name }) else {
            throw ExamError.invalid("unknown_room", "场次没有考场 \(name) (no such room)")
        }
        for member in Set(staff + (chief.map { [$0] } ?? [])) {
            guard let account = try await store.accounts.account(id: member), account.has(.examiner), !account.disabled else {
                throw ExamError.invalid("not_staff", "\(member) 不是可用的考评员 (not an active examiner)")
            }
        }
        sitting.plan.rooms[room].staff = staff
        sitting.plan.rooms[room].chief = chief
        try await store.sittings.updatePlan(
            id, plan: sitting.plan,
            audit: AuditEvent(
                actor: actor, action: "sitting.staff_assigned", subject: "sitting:\(id)",
                payload: ["room": .string(name), "staff": .array(staff.map { .string($0.rawValue) }), "chief": chief.map { .string($0.rawValue) } ?? .null]
            )
        )
        return sitting
    }

    /// Draws each room's staff at random from the active examiners, never one related to a
    /// candidate of the room or already drawn for another room; the first drawn chairs a practical panel.
    public func drawStaff(_ id: String, actor: String) async throws -> SittingRecord {
        var sitting = try await draft(id)
        guard let standard = standards.first(where: { $0.code == sitting.occupation }),
            let rule = standard.levels.first(where: { $0.level == sitting.level })?.parts[sitting.part].staffing
        else { throw ExamError.invalid("unknown_exam", "no standard for this sitting") }
        let pool = try await store.accounts.list().filter { $0.has(.examiner) && !$0.disabled }.map(\.id)
        let relations = try await store.sittings.relations()
        var generator = SystemRandomNumberGenerator()
        var taken = Set<AccountID>()
        for index in sitting.plan.rooms.indices {
            let room = sitting.plan.rooms[index]
            let needed = room.candidates.isEmpty ? 0 : rule.requiredStaff(forCandidates: room.candidates.count)
            guard let drawn = SittingRules.draw(
                needed, from: pool, avoiding: Set(room.candidates), relations: relations, taken: taken, using: &generator
            ) else {
                throw ExamError(
                    .conflict, code: "not_enough_staff",
                    message: "考场 \(room.name) 需要\(needed)名考评员，无回避关系且未安排的只有更少 (room \(room.name) needs \(needed) unrelated, unassigned examiners; the pool has fewer)"
                )
            }
            sitting.plan.rooms[index].staff = drawn
            sitting.plan.rooms[index].chief = rule.chiefExaminer ? drawn.first : nil
            taken.formUnion(drawn)
        }
        try await store.sittings.updatePlan(
            id, plan: sitting.plan,
            audit: AuditEvent(
                actor: actor, action: "sitting.staff_drawn", subject: "sitting:\(id)",
                payload: ["rooms": .array(sitting.plan.rooms.map { room in
                    ["room": .string(room.name), "staff": .array(room.staff.map { .string($0.rawValue) })]
                })]
            )
        )
        return sitting
    }

    /// Names the sitting's quality supervisors.
    public func setSupervisors(_ id: String, _ supervisors: [AccountID], actor: String) async throws -> SittingRecord {
        var sitting = try await draft(id)
        for member in supervisors {
            guard let account = try await store.accounts.account(id: member), account.has(.supervisor), !account.disabled else {
                throw ExamError.invalid("not_supervisor", "\(member) 不是可用的质量督导员 (not an active quality supervisor)")
            }
        }
        sitting.plan.supervisors = supervisors
        try await store.sittings.updatePlan(
            id, plan: sitting.plan,
            audit: AuditEvent(actor: actor, action: "sitting.supervisors_set", subject: "sitting:\(id)", payload: ["supervisors": .array(supervisors.map { .string($0.rawValue) })])
        )
        return sitting
    }

    /// A staff member declares a relation to a candidate, named by their identity document number.
    public func declareRelation(by staff: Account, candidateIDNumber: String, kind: RelationKind) async throws -> StaffRelation {
        let number = candidateIDNumber.trimmingCharacters(in: .whitespaces).uppercased()
        let candidates = try await store.applications.candidate(idNumber: number)
        guard let candidate = candidates else {
            throw ExamError(.notFound, code: "unknown_candidate", message: "没有证件号为该号码的考生 (no candidate with that document number)")
        }
        let relation = StaffRelation(staff: staff.id, candidate: candidate, kind: kind)
        try await store.sittings.declare(
            relation, at: clock.now(),
            audit: AuditEvent(actor: staff.id.rawValue, action: "staff.relation_declared", subject: "account:\(candidate)", payload: ["kind": .string(kind.rawValue)])
        )
        return relation
    }

    /// Publishes a sitting when every rule holds; otherwise lists every problem and changes nothing.
    public func publish(_ id: String, actor: String) async throws -> SittingRecord {
        var sitting = try await draft(id)
        let problems = try await problems(sitting)
        guard problems.isEmpty else {
            throw ExamError(.conflict, code: "publish_refused", message: problems.joined(separator: "; "))
        }
        let now = clock.now()
        // One admission ticket per seat: the room's order is the seat order.
        var generator = SystemRandomNumberGenerator()
        var codes = Set<String>()
        var tickets: [TicketRecord] = []
        for room in sitting.plan.rooms {
            for (index, candidate) in room.candidates.enumerated() {
                var code = TicketCode.generate(using: &generator)
                while !codes.insert(code).inserted { code = TicketCode.generate(using: &generator) }
                tickets.append(TicketRecord(code: code, sittingID: id, candidate: candidate, room: room.name, seat: index + 1, issuedAt: now))
            }
        }
        try await store.sittings.publish(
            id, at: now, tickets: tickets,
            audit: AuditEvent(actor: actor, action: "sitting.published", subject: "sitting:\(id)", payload: ["candidates": .int(tickets.count), "tickets": .int(tickets.count)])
        )
        sitting.status = .published
        sitting.publishedAt = now
        return sitting
    }

    /// What still stops a sitting from being published.
    public func problems(_ sitting: SittingRecord) async throws -> [String] {
        guard let rule = standards.first(where: { $0.code == sitting.occupation })?.levels.first(where: { $0.level == sitting.level })?.parts[sitting.part].staffing
        else { return ["no standard for \(sitting.occupation) \(sitting.level.rawValue)"] }
        var problems = SittingRules.problems(sitting.plan, rule: rule, relations: try await store.sittings.relations())
        if sitting.plan.rooms.allSatisfy({ $0.candidates.isEmpty }) { problems.append("考生：场次还没有考生 (no candidates placed)") }
        return problems
    }

    private func draft(_ id: String) async throws -> SittingRecord {
        guard let sitting = try await store.sittings.sitting(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)")
        }
        guard sitting.status == .draft else {
            throw ExamError(.conflict, code: "already_published", message: "场次 \(id) 已发布，不能再修改 (the sitting is published)")
        }
        return sitting
    }

}
