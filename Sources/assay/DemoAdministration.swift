import Accounts
import Audit
import Documents
import ExamCore
import ExamServer
import Foundation
import ItemBank
import Logging
import Storage

/// The demo's exam administration: the demo candidate registered with an identity, a roster of
/// approved candidates, this year's and next year's plan, a published theory sitting (so the demo
/// candidate has an admission ticket) and a draft practical sitting that still breaks rules.
/// Each part is seeded once.
enum DemoAdministration {
    static let occupation = OccupationCode(rawValue: "2-02-10-09")
    static let direction = "人工智能平台产品实现"
    /// Invigilators and examiners besides the demo examiner; their passwords are generated and not shown.
    static let moreExaminers = ["周涛", "吴倩", "郑宇", "冯晨", "何静", "韩冰"]
    static let names = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
    static let givenNames = ["子涵", "浩然", "雨桐", "思远", "欣怡", "俊杰", "梓萱", "宇轩", "诗琪", "博文"]

    /// A valid 居民身份证 number for a demo person (东城区, born in the 1990s).
    static func residentID(_ index: Int) -> String {
        let body = String(format: "110101199%01d%02d%02d%03d", index % 10, index % 12 + 1, index % 28 + 1, 100 + index)
        return body + String(NationalID.checkCharacter(for: body)!)
    }

    static func seed(database: SQLiteDatabase, accounts: AccountService, standards: [OccupationStandard], examsDirectory: String) async throws -> [String] {
        let store = database.store
        let clock = SystemWallClock()
        let registration = RegistrationService(
            store: store, standards: standards, accounts: accounts,
            commitment: RegistrationService.commitmentText(examsDirectory: examsDirectory), clock: clock
        )
        let sittings = SittingService(store: store, standards: standards, clock: clock)
        guard let examAdmin = try await store.accounts.account(username: "examadmin") else { return [] }
        var notes: [String] = []

        for (index, name) in moreExaminers.enumerated() where try await store.accounts.account(username: "examiner\(index + 2)") == nil {
            _ = try await accounts.create(
                .init(username: "examiner\(index + 2)", displayName: name, roles: [Role.examiner.rawValue], occupations: standards.map(\.code.rawValue),
                      password: PasswordPolicy.generatedPassword()),
                actor: Init.operatorActor
            )
        }

        // Candidates and approved applications.
        if try await store.applications.applications(ApplicationFilter()).isEmpty, let candidate = try await store.accounts.account(username: "candidate") {
            let form = ApplicationForm(
                occupation: occupation, level: .junior, direction: direction, education: .bachelor, major: "计算机科学与技术", relevantMajor: true,
                trainingHours: 128, employer: "示范科技有限公司"
            )
            let own = try await registration.apply(
                form, commitmentSHA256: registration.commitmentSHA256, accepted: true, by: candidate, address: "demo", userAgent: "assay demo"
            )
            var rows: [[String]] = [["姓名", "证件类型", "证件号码", "职业编码", "等级", "方向", "学历", "相关专业", "培训学时", "工作单位"]]
            for index in 1...31 {
                let name = "\(names[index % names.count])\(givenNames[index % givenNames.count])"
                rows.append([name, "居民身份证", residentID(index), occupation.rawValue, "初级", direction, "本科", "是", "128", "示范科技有限公司"])
            }
            let imported = try await registration.importRoster(rows: rows, file: "demo-roster.csv", actor: Init.operatorActor)
            for application in [own.id] + imported.map(\.application) {
                _ = try await registration.decide(application, approve: true, reason: nil, by: examAdmin)
            }
            notes.append("Applications: 32 approved for \(occupation) 初级 \(direction) (the demo candidate and a roster of 31)")
        }

        // The annual plan.
        if try await store.plans.plans(year: nil).isEmpty {
            let plans = PlanService(store: store, standards: standards, clock: clock)
            let year = CalendarDate.calendar.component(.year, from: clock.now())
            for (level, expected, dates) in [(Level.junior, 240, ["05-16", "11-21"]), (.intermediate, 120, ["06-20"]), (.senior, 40, ["10-17"])] {
                _ = try await plans.create(
                    .init(year: year, occupation: occupation, level: level, direction: nil, expectedCandidates: expected,
                          dates: dates.map { "\(year)-\($0)" }, note: level == .junior ? "春秋两次" : nil),
                    actor: examAdmin.id.rawValue
                )
            }
            _ = try await plans.create(
                .init(year: year + 1, occupation: occupation, level: .junior, direction: nil, expectedCandidates: 300, dates: ["\(year + 1)-05-15"], note: nil),
                actor: examAdmin.id.rawValue
            )
        }

        // Sittings two weeks ahead, 09:00 and 14:00 Beijing time.
        if try await store.sittings.sittings().isEmpty {
            let calendar = CalendarDate.calendar
            let day = calendar.startOfDay(for: clock.now().addingTimeInterval(14 * 86_400))
            let format = ISO8601DateFormatter()
            format.timeZone = calendar.timeZone
            let theory = try await sittings.create(
                .init(occupation: occupation, level: .junior, direction: direction, part: .theory, startsAt: format.string(from: day.addingTimeInterval(9 * 3600)),
                      venue: "示范考点（北京市东城区）", rooms: [.init(name: "101", capacity: 30), .init(name: "102", capacity: 30)]),
                actor: examAdmin.id.rawValue
            )
            _ = try await sittings.place(theory.id, actor: examAdmin.id.rawValue)
            _ = try await sittings.drawStaff(theory.id, actor: examAdmin.id.rawValue)
            if let supervisor = try await store.accounts.account(username: "supervisor") {
                _ = try await sittings.setSupervisors(theory.id, [supervisor.id], actor: examAdmin.id.rawValue)
            }
            _ = try await sittings.publish(theory.id, actor: examAdmin.id.rawValue)
            let practical = try await sittings.create(
                .init(occupation: occupation, level: .junior, direction: direction, part: .ability, startsAt: format.string(from: day.addingTimeInterval(14 * 3600)),
                      venue: "示范考点（北京市东城区）", rooms: [.init(name: "实训室A", capacity: 20), .init(name: "实训室B", capacity: 20)]),
                actor: examAdmin.id.rawValue
            )
            _ = try await sittings.place(practical.id, actor: examAdmin.id.rawValue)
            notes.append("Sittings: \(theory.id) theory, published with admission tickets; \(practical.id) practical, a draft still missing staff")
        }
        return notes
    }
}

extension DemoAdministration {
    /// A mock sitting (模拟考试) a few minutes after this run, so the demo candidate can take a whole
    /// theory paper at once: two forms assembled and sealed, released ahead with the demo's shares.
    /// Made again whenever no mock sitting is still to start or running.
    static func mockSitting(
        database: SQLiteDatabase, directory: DataDirectory, standards: [OccupationStandard], blueprints: String, shares: [CustodianShare],
        startIn: TimeInterval
    ) async throws -> String? {
        let store = database.store
        let clock = SystemWallClock()
        let now = clock.now()
        let venue = "在线模拟考场"
        func note(_ id: String, _ start: Date) -> String {
            "Mock sitting \(id) (模拟考试, 90 min) starts \(CalendarDate.minute(start)) Beijing time: the demo candidate prints the ticket at /ticket.html and signs in at /sit.html; examiner, supervisor and examadmin watch it at /proctor.html"
        }
        if let running = try await store.sittings.sittings().first(where: {
            $0.venue == venue && $0.startsAt.addingTimeInterval(TimeInterval($0.durationMinutes * 60)) > now
        }) { return note(running.id, running.startsAt) }
        guard let examAdmin = try await store.accounts.account(username: "examadmin"), let bankRecord = try await store.items.bankKey() else { return nil }
        let sittings = SittingService(store: store, standards: standards, clock: clock)
        let format = ISO8601DateFormatter()
        format.timeZone = CalendarDate.calendar.timeZone
        let start = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 + startIn) / 60).rounded(.up) * 60)
        let actor = examAdmin.id.rawValue
        let sitting = try await sittings.create(
            .init(occupation: occupation, level: .junior, direction: direction, part: .theory, startsAt: format.string(from: start), venue: venue,
                  rooms: [.init(name: "线上", capacity: 40)]),
            actor: actor
        )
        _ = try await sittings.place(sitting.id, actor: actor)
        let drawn = try await sittings.drawStaff(sitting.id, actor: actor)
        // The demo's examiner invigilates the mock sitting, so their dashboard has a room to watch.
        if let examiner = try await store.accounts.account(username: "examiner"), let room = drawn.plan.rooms.first,
            !room.staff.contains(examiner.id), !room.staff.isEmpty {
            var staff = room.staff
            staff[0] = examiner.id
            _ = try? await sittings.assignStaff(sitting.id, room: room.name, staff: staff, chief: room.chief, actor: actor)
        }
        if let supervisor = try await store.accounts.account(username: "supervisor") {
            _ = try await sittings.setSupervisors(sitting.id, [supervisor.id], actor: actor)
        }
        _ = try await sittings.publish(sitting.id, actor: actor)
        let papers = PaperService(store: store, standards: standards, blueprints: blueprints)
        let (assembly, _) = try await papers.save(
            .init(exam: occupation.rawValue, level: Level.junior.rawValue, direction: direction, part: "theory", forms: 2, seed: UInt64(now.timeIntervalSince1970)),
            replacing: nil, actor: actor
        )
        let bank = try BankKeyCeremony.unseal(bankRecord, shares: shares)
        let sealed = try await papers.seal(assembly.id, bank: bank, actor: Init.operatorActor)
        let runtime = DeliveryRuntime(
            store: store, clock: clock, standards: standards, vault: BankVault(store: store, clock: clock),
            personalKey: try PersonalDataKey(rawRepresentation: directory.personalDataKey { PersonalDataKey.generate().raw }), logger: Logger(label: "demo")
        )
        try await runtime.assignPapers(sitting.id, sealed.map(\.id), actor: actor)
        for paper in sealed { try await runtime.prerelease(paper.id, sitting: sitting.id, bank: bank, actor: Init.operatorActor) }
        return note(sitting.id, start)
    }
}
