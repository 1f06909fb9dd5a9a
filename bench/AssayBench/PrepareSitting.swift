// `--prepare-sitting DATA --candidates N --start-in SECONDS --out TICKETS.tsv [--exams DIR]`: turns a demo data
// directory (made by `assay demo --no-serve`) into one with N approved candidates, enough examiners
// to staff every room, a published theory sitting of 500-seat rooms starting SECONDS ahead with two
// sealed forms released for it, and writes each seat's ticket code, ID number and account as TSV
// for the load tool. Written directly through the repositories (one password hash reused, one
// transaction for the roster) so that 10,000 candidates take seconds, not hours of Argon2.
import Accounts
import Audit
import Documents
import ExamCore
import ExamServer
import ExamStandards
import Foundation
import ItemBank
import Logging
import PaperAssembly
import Storage

enum PrepareSitting {
    static let occupation = OccupationCode(rawValue: "2-02-10-09")
    static let direction = "人工智能平台产品实现"

    static func run(data: String, exams: String, candidates count: Int, startIn: TimeInterval, out: String) async throws {
        let directory = DataDirectory(path: data)
        let database = try directory.open(configuration: .init(durability: .normal))
        let store = database.store
        let catalog = StandardLoader.load(path: exams)
        let standards = catalog.standards
        let clock = SystemWallClock()
        let now = clock.now()
        let hash = try Argon2PasswordHasher(parameters: .init(memoryKiB: 8 * 1024, iterations: 1, parallelism: 1)).hash("load-test-not-a-login")
        guard let admin = try await store.accounts.account(username: "examadmin"), let supervisor = try await store.accounts.account(username: "supervisor")
        else { throw ExamError.invalid("not_a_demo", "\(data) has no demo accounts; run `assay demo --no-serve` first") }

        // Examiners: each 500-seat room needs one per 15 candidates.
        let rooms = (count + 499) / 500
        let needed = (0..<rooms).reduce(0) { total, room in total + max(2, (min(500, count - room * 500) + 14) / 15) } + 10
        let existing = try await store.accounts.list().filter { $0.has(.examiner) }.count
        for index in existing..<needed {
            try await store.accounts.create(
                Account(username: "load-examiner-\(index)", displayName: "考评员\(index)", roles: [.examiner], occupations: [occupation], passwordHash: hash, createdAt: now),
                audit: AuditEvent(actor: "load-test", action: "account.created", subject: "account:load-examiner-\(index)")
            )
        }

        // Candidates with approved applications, in one roster transaction.
        let form = ApplicationForm(occupation: occupation, level: .junior, direction: direction, education: .bachelor, relevantMajor: true, trainingHours: 128)
        let standard = standards.first { $0.code == occupation }!
        let rules = standard.eligibility.first { $0.level == .junior }!
        let eligibility = EligibilityEngine.evaluate(form.profile, rules: rules, trainingHours: 128, on: now)
        var entries: [(account: Account, identity: CandidateIdentity, application: ApplicationRecord)] = []
        var numbers: [String] = []
        for index in 0..<count {
            let day = Date(timeIntervalSince1970: 315_532_800 + Double(index % 7000) * 86_400)  // from 1980
            let parts = CalendarDate.calendar.dateComponents([.year, .month, .day], from: day)
            let body = String(format: "110101%04d%02d%02d%03d", parts.year!, parts.month!, parts.day!, index / 7000)
            let number = body + String(NationalID.checkCharacter(for: body)!)
            numbers.append(number)
            let account = Account(username: "load-\(index)", displayName: "考生\(index)", roles: [.candidate], passwordHash: hash, createdAt: now)
            let identity = CandidateIdentity(name: "考生\(index)", idType: .residentID, idNumber: number, gender: Int(String(body.last!))! % 2 == 1 ? .male : .female,
                                             birthDate: String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!))
            let application = ApplicationRecord(
                id: "APP-LOAD-\(index)", accountID: account.id, form: form, eligibility: eligibility, commitmentSHA256: String(repeating: "0", count: 64), committedAt: now,
                clientAddress: "load-test", userAgent: "assay-bench", status: .approved, decidedBy: admin.id.rawValue, decidedAt: now, createdAt: now
            )
            entries.append((account, identity, application))
        }
        try await store.applications.importRoster(entries, audit: AuditEvent(actor: "load-test", action: "roster.imported", subject: "roster:load", payload: ["count": .int(count)]))

        // The sitting: only these candidates (placing takes every approved one of the exam).
        let sittings = SittingService(store: store, standards: standards, clock: clock)
        let format = ISO8601DateFormatter()
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 + startIn).rounded(.up))
        let sitting = try await sittings.create(
            .init(occupation: occupation, level: .junior, direction: direction, part: .theory, startsAt: format.string(from: start), venue: "压力测试考点",
                  rooms: (0..<rooms + 1).map { .init(name: "R\($0 + 1)", capacity: 500) }),
            actor: admin.id.rawValue
        )
        var (placed, _) = try await sittings.place(sitting.id, actor: admin.id.rawValue)
        let ours = Set(entries.map(\.account.id))
        placed.plan.rooms = placed.plan.rooms.map { room in
            var room = room
            room.candidates = room.candidates.filter { ours.contains($0) }
            return room
        }.filter { !$0.candidates.isEmpty }
        try await store.sittings.updatePlan(sitting.id, plan: placed.plan, audit: AuditEvent(actor: "load-test", action: "sitting.candidates_placed", subject: "sitting:\(sitting.id)"))
        _ = try await sittings.drawStaff(sitting.id, actor: admin.id.rawValue)
        _ = try await sittings.setSupervisors(sitting.id, [supervisor.id], actor: admin.id.rawValue)
        _ = try await sittings.publish(sitting.id, actor: admin.id.rawValue)

        // Two forms, sealed with the demo's shares and released ahead for this sitting.
        let sharesFolder = (data as NSString).appendingPathComponent("INSECURE-DEMO-SHARES")
        let shares = try FileManager.default.contentsOfDirectory(atPath: sharesFolder).sorted().prefix(3).map {
            try CustodianShare(parsing: String(contentsOfFile: (sharesFolder as NSString).appendingPathComponent($0), encoding: .utf8))
        }
        let bank = try BankKeyCeremony.unseal(try await store.items.bankKey()!, shares: Array(shares))
        let papers = PaperService(store: store, standards: standards, blueprints: (exams as NSString).appendingPathComponent("blueprints"))
        let (assembly, _) = try await papers.save(
            .init(exam: occupation.rawValue, level: Level.junior.rawValue, direction: direction, part: "theory", forms: 2, seed: 7), replacing: nil, actor: admin.id.rawValue
        )
        let sealed = try await papers.seal(assembly.id, bank: bank, actor: "load-test")
        let runtime = DeliveryRuntime(
            store: store, clock: clock, standards: standards, vault: BankVault(store: store, clock: clock),
            personalKey: try PersonalDataKey(rawRepresentation: directory.personalDataKey { PersonalDataKey.generate().raw }), logger: Logger(label: "prepare")
        )
        try await runtime.assignPapers(sitting.id, sealed.map(\.id), actor: "load-test")
        for paper in sealed { try await runtime.prerelease(paper.id, sitting: sitting.id, bank: bank, actor: "load-test") }

        let tickets = try await store.sittings.tickets(sitting: sitting.id)
        let byAccount = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.account.id, numbers[$0]) })
        var lines = ["sitting\t\(sitting.id)\t\(format.string(from: start))"]
        for ticket in tickets { lines.append("\(ticket.code)\t\(byAccount[ticket.candidate] ?? "")\t\(ticket.candidate.rawValue)") }
        try lines.joined(separator: "\n").appending("\n").write(toFile: out, atomically: true, encoding: .utf8)
        try await store.audit.checkpoint()
        print("prepared \(tickets.count) seats in sitting \(sitting.id) starting \(format.string(from: start)); tickets in \(out)")
    }
}
