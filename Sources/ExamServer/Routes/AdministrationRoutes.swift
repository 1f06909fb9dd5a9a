import Accounts
import Documents
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Evidence uploads, the annual plan, admission tickets, the staff pool, and the CSV/XLSX exports
/// of every administration list.
struct AdministrationRoutes {
    let evidence: EvidenceService
    let plans: PlanService
    let tickets: TicketService
    let store: Store
    let standards: [OccupationStandard]
    /// Where this server is reached (`https://exam.example.cn`), for the address in ticket QR codes;
    /// nil to use the request's Host.
    let publicURL: String?
    let secureCookies: Bool

    struct EvidenceBody: ResponseEncodable { var evidence: EvidenceService.View }
    struct EvidenceList: ResponseEncodable { var evidence: [EvidenceService.View] }
    struct PlanBody: ResponseEncodable { var plan: PlanRecord }
    struct PlanList: ResponseEncodable { var plans: [PlanService.PlanView] }
    struct TicketList: ResponseEncodable { var tickets: [TicketService.TicketView] }
    struct StaffMember: Codable {
        var id: String
        var username: String
        var displayName: String
        var roles: [String]
        var occupations: [String]
    }
    struct StaffList: ResponseEncodable { var staff: [StaffMember] }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")

        // MARK: Evidence
        api.post("evidence") { request, context in
            let account = try context.requireIdentity().account
            let query = request.uri.queryParameters
            let kind = query["kind"].map(String.init)
            let limit = kind.flatMap(EvidenceKind.init(rawValue:))?.maximumBytes ?? EvidenceKind.other.maximumBytes
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: limit + 1)
            } catch {
                throw ExamError(.tooLarge, code: "too_large", message: "文件不能超过 \(limit >> 20) MB (at most \(limit >> 20) MiB)")
            }
            let view = try await evidence.upload(
                Data(body.readableBytesView), kind: kind, fileName: query["name"].map { String($0).removingPercentEncoding ?? String($0) },
                declaredType: request.headers[.contentType], by: account
            )
            return EditedResponse(status: .created, response: EvidenceBody(evidence: view))
        }
        api.get("evidence/mine") { _, context in EvidenceList(evidence: try await evidence.list(owner: try context.requireIdentity().account.id)) }
        api.get("evidence/{id}") { _, context in
            let (view, data) = try await evidence.read(try context.parameters.require("id"), by: try context.requireIdentity().account)
            var headers = HTTPFields()
            headers[.contentType] = view.contentType
            headers[.contentDisposition] = Self.disposition("inline", view.fileName)
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.delete("evidence/{id}") { _, context in
            try await evidence.withdraw(try context.parameters.require("id"), by: try context.requireIdentity().account)
            return Response(status: .noContent)
        }

        // MARK: Annual plan
        api.post("plans") { request, context in
            let body = try await request.decodeJSON(as: PlanService.PlanInput.self, context: context)
            return EditedResponse(status: .created, response: PlanBody(plan: try await plans.create(body, actor: try context.requireIdentity().account.id.rawValue)))
        }
        api.get("plans") { request, _ in PlanList(plans: try await plans.plans(year: try Self.year(request))) }
        api.get("plans/export") { request, _ in
            try Self.download(try await plans.summary(year: try Self.year(request)), request: request, name: "考试计划")
        }
        api.put("plans/{id}") { request, context in
            let body = try await request.decodeJSON(as: PlanService.PlanInput.self, context: context)
            return PlanBody(plan: try await plans.update(try context.parameters.require("id"), body, actor: try context.requireIdentity().account.id.rawValue))
        }
        api.delete("plans/{id}") { _, context in
            try await plans.delete(try context.parameters.require("id"), actor: try context.requireIdentity().account.id.rawValue)
            return Response(status: .noContent)
        }

        // MARK: Admission tickets
        api.get("tickets/mine") { request, context in
            TicketList(tickets: try await tickets.mine(try context.requireIdentity().account.id, baseURL: baseURL(request)))
        }
        api.get("sittings/{id}/tickets") { request, context in
            TicketList(tickets: try await tickets.ofSitting(try context.parameters.require("id"), baseURL: baseURL(request)))
        }

        // MARK: Staff pool and exports
        api.get("staff") { _, _ in StaffList(staff: try await staffPool()) }
        api.get("staff/export") { request, _ in
            let staff = try await staffPool()
            let table = Table(
                title: "考务人员", headers: ["账号", "姓名", "角色", "职业范围"],
                rows: staff.map { member in
                    [.text(member.username), .text(member.displayName),
                     .text(member.roles.compactMap { Role(rawValue: $0)?.chineseName }.joined(separator: "、")), .text(member.occupations.joined(separator: "、"))]
                }
            )
            return try Self.download(table, request: request, name: "考务人员")
        }
        api.get("applications/export") { request, context in
            let masked = !(try context.requireIdentity().account.has(.examAdmin))
            return try Self.download(try await applicationsTable(request, masked: masked), request: request, name: "申报名单")
        }
        api.get("sittings/export") { request, _ in
            try Self.download(try await sittingsTable(), request: request, name: "考试场次")
        }
        api.get("sittings/{id}/roster/export") { request, context in
            let masked = !(try context.requireIdentity().account.has(.examAdmin))
            let id = try context.parameters.require("id")
            return try Self.download(try await rosterTable(id, masked: masked), request: request, name: "场次\(id)考生名册")
        }
    }

    // MARK: Tables

    private func staffPool() async throws -> [StaffMember] {
        try await store.accounts.list().filter { !$0.disabled && ($0.has(.examiner) || $0.has(.supervisor)) }.map {
            StaffMember(id: $0.id.rawValue, username: $0.username, displayName: $0.displayName, roles: $0.roles.map(\.rawValue), occupations: $0.occupations.map(\.rawValue))
        }
    }

    private func applicationsTable(_ request: Request, masked: Bool) async throws -> Table {
        let query = request.uri.queryParameters
        let filter = ApplicationFilter(
            status: query["status"].flatMap { ApplicationStatus(rawValue: String($0)) },
            occupation: query["occupation"].map { OccupationCode(rawValue: String($0)) },
            level: query["level"].flatMap { Level(rawValue: String($0)) }
        )
        let statusNames: [ApplicationStatus: String] = [.submitted: "待审核", .approved: "已通过", .rejected: "未通过", .withdrawn: "已撤回"]
        var rows: [[Table.Cell]] = []
        for record in try await store.applications.applications(filter) {
            let identity = try await store.applications.identity(of: record.accountID)
            let form = record.form
            rows.append([
                .text(record.id), .text(statusNames[record.status] ?? record.status.rawValue), Table.Cell(identity?.name),
                Table.Cell(identity?.idType.chineseName), Table.Cell(masked ? identity?.maskedIDNumber : identity?.idNumber),
                Table.Cell(identity?.gender.rawValue), Table.Cell(identity?.birthDate), .text(form.occupation.rawValue),
                .text(standards.first { $0.code == form.occupation }?.name ?? ""), .text(form.level.rawValue), Table.Cell(form.direction),
                Table.Cell(form.education?.rawValue), Table.Cell(form.title?.rawValue), Table.Cell(form.certificate?.rawValue),
                Table.Cell(form.yearsInOccupation), Table.Cell(form.trainingHours), Table.Cell(form.employer),
                .text(record.eligibility.eligible ? "符合" : "不符合"), .text(record.eligibility.explanation), .text(Self.beijing(record.createdAt)),
                Table.Cell(record.reason), Table.Cell(record.decidedAt.map(Self.beijing)),
            ])
        }
        return Table(
            title: "申报名单",
            headers: ["申报编号", "状态", "姓名", "证件类型", "证件号码", "性别", "出生日期", "职业编码", "职业名称", "等级", "方向", "学历", "职称", "已有证书等级",
                      "从事本职业年限", "培训学时", "工作单位", "资格审查", "审查说明", "申报时间", "审核意见", "审核时间"],
            rows: rows
        )
    }

    private func sittingsTable() async throws -> Table {
        let sittings = try await store.sittings.sittings()
        return Table(
            title: "考试场次",
            headers: ["场次编号", "状态", "职业编码", "职业名称", "等级", "方向", "科目", "开考时间", "时长（分钟）", "考点", "考场数", "容量", "考生数", "考务人员数", "督导员数"],
            rows: sittings.map { sitting in
                [
                    .text(sitting.id), .text(sitting.status == .published ? "已发布" : "草稿"), .text(sitting.occupation.rawValue),
                    .text(standards.first { $0.code == sitting.occupation }?.name ?? ""), .text(sitting.level.rawValue), Table.Cell(sitting.direction),
                    .text(sitting.part.chineseName), .text(Self.beijing(sitting.startsAt)), Table.Cell(sitting.durationMinutes), .text(sitting.venue),
                    Table.Cell(sitting.plan.rooms.count), Table.Cell(sitting.plan.rooms.reduce(0) { $0 + $1.capacity }),
                    Table.Cell(sitting.plan.rooms.reduce(0) { $0 + $1.candidates.count }), Table.Cell(Set(sitting.plan.rooms.flatMap(\.staff)).count),
                    Table.Cell(sitting.plan.supervisors.count),
                ]
            }
        )
    }

    /// Every seat of a sitting: room, seat, candidate, and once published the ticket code; then the
    /// room's staff, so the sheet is what the venue needs.
    private func rosterTable(_ id: String, masked: Bool) async throws -> Table {
        guard let sitting = try await store.sittings.sitting(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)") }
        let codes = Dictionary(uniqueKeysWithValues: try await store.sittings.tickets(sitting: id).map { ($0.candidate, $0.code) })
        var rows: [[Table.Cell]] = []
        for room in sitting.plan.rooms {
            var staffNames: [String] = []
            for member in room.staff {
                let name = try await store.accounts.account(id: member)?.displayName ?? member.rawValue
                staffNames.append(member == room.chief ? "\(name)（组长）" : name)
            }
            for (index, candidate) in room.candidates.enumerated() {
                let identity = try await store.applications.identity(of: candidate)
                rows.append([
                    .text(room.name), Table.Cell(index + 1), Table.Cell(identity?.name), Table.Cell(identity?.idType.chineseName),
                    Table.Cell(masked ? identity?.maskedIDNumber : identity?.idNumber), Table.Cell(identity?.gender.rawValue),
                    .text(masked ? "" : codes[candidate] ?? ""), .text(staffNames.joined(separator: "、")),
                ])
            }
        }
        return Table(title: "考生名册", headers: ["考场", "座位号", "姓名", "证件类型", "证件号码", "性别", "准考证号", "考务人员"], rows: rows)
    }

    // MARK: Helpers

    private func baseURL(_ request: Request) -> String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let host = request.head.authority ?? "localhost"
        return "\(secureCookies ? "https" : "http")://\(host)"
    }

    static func year(_ request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters["year"].map(String.init), !text.isEmpty else { return nil }
        guard let year = Int(text), (2000...2100).contains(year) else { throw ExamError.invalid("bad_year", "year 须为2000–2100的年份 (a year from 2000 to 2100)") }
        return year
    }

    /// The table as a file download: `?format=csv` (default) or `xlsx`, named `<name>.<ext>`.
    static func download(_ table: Table, request: Request, name: String) throws -> Response {
        let text = request.uri.queryParameters["format"].map(String.init) ?? "csv"
        guard let format = Table.Format(rawValue: text.lowercased()) else {
            throw ExamError.invalid("bad_format", "format 须为 csv 或 xlsx (format must be csv or xlsx)")
        }
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        headers[.contentDisposition] = disposition("attachment", "\(name).\(format.rawValue)")
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try table.data(format))))
    }

    /// RFC 6266: an ASCII fallback name and the UTF-8 name (RFC 8187).
    static func disposition(_ type: String, _ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        return "\(type); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    static func beijing(_ date: Date) -> String { CalendarDate.minute(date) }
}
