import Accounts
import Audit
import Documents
import ExamCore
import Foundation
import Storage

/// The annual exam plan (年度考试计划): per occupation, level and direction, the expected number of
/// candidates and the planned dates; read against what actually happened for the year-end summary.
public struct PlanService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]
    public let clock: any WallClock

    public init(store: Store, standards: [OccupationStandard], clock: any WallClock) {
        self.store = store
        self.standards = standards
        self.clock = clock
    }

    public struct PlanInput: Sendable, Codable {
        public var year: Int
        public var occupation: OccupationCode
        public var level: Level
        public var direction: String?
        public var expectedCandidates: Int
        public var dates: [String]
        public var note: String?

        public init(year: Int, occupation: OccupationCode, level: Level, direction: String?, expectedCandidates: Int, dates: [String], note: String?) {
            self.year = year
            self.occupation = occupation
            self.level = level
            self.direction = direction
            self.expectedCandidates = expectedCandidates
            self.dates = dates
            self.note = note
        }
    }

    /// What happened against a plan row: approved applications (decided in the year), sittings
    /// starting in the year, candidates placed in them, and how many of those sittings are published.
    public struct Actual: Sendable, Codable, Equatable {
        public var approved: Int
        public var sittings: Int
        public var published: Int
        public var placed: Int
    }

    public struct PlanView: Sendable, Codable, Equatable {
        public var plan: PlanRecord
        public var occupationName: String
        public var actual: Actual
    }

    public func create(_ input: PlanInput, actor: String) async throws -> PlanRecord {
        let now = clock.now()
        let plan = try checked(input, id: CalendarDate.recordID("PLN", at: now, bytes: 3), actor: actor, createdAt: now)
        try await store.plans.create(plan, audit: audit("plan.created", plan, actor: actor))
        return plan
    }

    public func update(_ id: String, _ input: PlanInput, actor: String) async throws -> PlanRecord {
        guard let existing = try await store.plans.plan(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no plan \(id)") }
        let plan = try checked(input, id: id, actor: existing.createdBy, createdAt: existing.createdAt)
        try await store.plans.update(plan, audit: audit("plan.updated", plan, actor: actor))
        return plan
    }

    public func delete(_ id: String, actor: String) async throws {
        guard let existing = try await store.plans.plan(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no plan \(id)") }
        try await store.plans.delete(id, audit: audit("plan.deleted", existing, actor: actor))
    }

    /// The year's rows with what actually happened.
    public func plans(year: Int?) async throws -> [PlanView] {
        let plans = try await store.plans.plans(year: year)
        guard !plans.isEmpty else { return [] }
        let approved = try await store.applications.applications(ApplicationFilter(status: .approved))
        let sittings = try await store.sittings.sittings()
        let calendar = CalendarDate.calendar
        return plans.map { plan in
            func matches(_ occupation: OccupationCode, _ level: Level, _ direction: String?) -> Bool {
                occupation == plan.occupation && level == plan.level && (plan.direction == nil || direction == plan.direction)
            }
            let approvedCount = approved.filter {
                matches($0.form.occupation, $0.form.level, $0.form.direction) && calendar.component(.year, from: $0.decidedAt ?? $0.createdAt) == plan.year
            }.count
            let ofYear = sittings.filter { matches($0.occupation, $0.level, $0.direction) && calendar.component(.year, from: $0.startsAt) == plan.year }
            return PlanView(
                plan: plan, occupationName: standards.first { $0.code == plan.occupation }?.name ?? plan.occupation.rawValue,
                actual: Actual(
                    approved: approvedCount, sittings: ofYear.count, published: ofYear.filter { $0.status == .published }.count,
                    placed: ofYear.reduce(0) { $0 + $1.plan.rooms.reduce(0) { $0 + $1.candidates.count } }
                )
            )
        }
    }

    /// The year-end summary: each plan row, planned against actual.
    public func summary(year: Int?) async throws -> Table {
        let rows = try await plans(year: year)
        return Table(
            title: "\(year.map { "\($0)年" } ?? "")考试计划",
            headers: ["年度", "职业编码", "职业名称", "等级", "方向", "计划人数", "计划日期", "审核通过人数", "场次数", "已发布场次", "安排考生数", "完成率", "备注"],
            rows: rows.map { row in
                let rate = row.plan.expectedCandidates > 0 ? String(format: "%.0f%%", Double(row.actual.placed) * 100 / Double(row.plan.expectedCandidates)) : ""
                return [
                    Table.Cell(row.plan.year), .text(row.plan.occupation.rawValue), .text(row.occupationName), .text(row.plan.level.rawValue),
                    Table.Cell(row.plan.direction), Table.Cell(row.plan.expectedCandidates), .text(row.plan.dates.joined(separator: "、")),
                    Table.Cell(row.actual.approved), Table.Cell(row.actual.sittings), Table.Cell(row.actual.published), Table.Cell(row.actual.placed),
                    .text(rate), .text(row.plan.note),
                ]
            }
        )
    }

    private func checked(_ input: PlanInput, id: String, actor: String, createdAt: Date) throws -> PlanRecord {
        var problems: [String] = []
        if !(2000...2100).contains(input.year) { problems.append("year: 年度须在2000–2100之间 (2000 to 2100)") }
        var direction: String?
        if let standard = standards.first(where: { $0.code == input.occupation }) {
            if let spec = standard.levels.first(where: { $0.level == input.level }) {
                let directions = spec.examinedDirections
                let given = input.direction?.trimmingCharacters(in: .whitespaces)
                if directions.isEmpty {
                    if let given, !given.isEmpty, given != Direction.undivided.name { problems.append("direction: \(input.level.rawValue)不分方向 (no directions)") }
                } else if let given, !given.isEmpty {
                    if directions.contains(Direction(given)) { direction = given } else {
                        problems.append("direction: 方向须为\(directions.map(\.name).joined(separator: "、"))之一，或留空表示全部方向 (a direction of the level, or none for all)")
                    }
                }
            } else {
                problems.append("level: \(standard.name)没有\(input.level.rawValue) (no such level)")
            }
        } else {
            problems.append("occupation: 没有职业 \(input.occupation) (unknown occupation)")
        }
        if !(0...1_000_000).contains(input.expectedCandidates) { problems.append("expectedCandidates: 计划人数须为0–1000000 (0 to 1,000,000)") }
        if input.dates.count > 24 { problems.append("dates: 最多24个日期 (at most 24 dates)") }
        var dates: [String] = []
        for text in input.dates {
            guard let date = CalendarDate.strict(text) else {
                problems.append("dates: \(text) 不是 yyyy-MM-dd 格式的有效日期 (not a real yyyy-MM-dd date)")
                continue
            }
            if CalendarDate.calendar.component(.year, from: date) != input.year { problems.append("dates: \(text) 不在\(input.year)年 (not in the plan's year)") }
            dates.append(text)
        }
        if Set(dates).count != dates.count { problems.append("dates: 日期重复 (a date repeats)") }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 500 { problems.append("note: 备注最多500字 (at most 500 characters)") }
        guard problems.isEmpty else { throw ExamError.invalid("invalid_plan", problems.joined(separator: "; ")) }
        return PlanRecord(
            id: id, year: input.year, occupation: input.occupation, level: input.level, direction: direction, expectedCandidates: input.expectedCandidates,
            dates: dates.sorted(), note: note, createdBy: actor, createdAt: createdAt, updatedAt: clock.now()
        )
    }

    private func audit(_ action: String, _ plan: PlanRecord, actor: String) -> AuditEvent {
        AuditEvent(
            actor: actor, action: action, subject: "plan:\(plan.id)",
            payload: [
                "year": .int(plan.year), "occupation": .string(plan.occupation.rawValue), "level": .string(plan.level.rawValue),
                "direction": plan.direction.map { .string($0) } ?? .null, "expected": .int(plan.expectedCandidates),
                "dates": .array(plan.dates.map { .string($0) }),
            ]
        )
    }
}
