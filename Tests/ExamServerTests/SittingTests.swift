import Accounts
import Audit
import ExamCore
import ExamServer
import ExamStandards
import ExamTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite struct SittingTests {
    /// Registers `count` candidates, each applying for 中级 计算机视觉产品实现 and approved.
    static func approvedCandidates(_ app: TestApp, count: Int) async throws -> [(AccountID, String)] {
        let standards = app.services.catalog.standards
        let registration = RegistrationService(store: app.services.store, standards: standards, accounts: app.services.accounts, commitment: "承诺", clock: app.clock)
        let admin = try await app.addAccount("desk", roles: [.examAdmin])
        var people: [(AccountID, String)] = []
        for index in 0..<count {
            let seventeen = "110105" + "1995" + "0101" + String(format: "%03d", 100 + index)
            let number = seventeen + String(NationalID.checkCharacter(for: seventeen)!)
            let (account, _) = try await registration.register(.init(
                username: "cand\(index)", password: "a-long-and-unusual-passphrase", name: "考生\(index)", idType: .residentID, idNumber: number
            ))
            let form = ApplicationForm(
                occupation: OccupationCode(rawValue: "2-02-10-09"), level: .intermediate, direction: "计算机视觉产品实现", education: .bachelor,
                certificate: .junior, certificateObtained: "2020-01-01", trainingHours: 130
            )
            let record = try await registration.apply(form, commitmentSHA256: registration.commitmentSHA256, accepted: true, by: account, address: nil, userAgent: nil)
            _ = try await registration.decide(record.id, approve: true, reason: nil, by: admin)
            people.append((account.id, number))
        }
        return people
    }

    @Test func aTheoryRoomOf31NeedsThreeInvigilatorsAndRelatedStaffAreNeverDrawn() async throws {
        let app = try TestApp()
        defer { app.close() }
        let candidates = try await Self.approvedCandidates(app, count: 31)
        try await app.addAccount("planner", roles: [.examAdmin])
        var pool: [Account] = []
        for index in 0..<5 { pool.append(try await app.addAccount("inv\(index)", roles: [.examiner])) }
        let examiners = pool
        let supervisor = try await app.addAccount("watch", roles: [.supervisor])
        try await app.application().test(.router) { client in
            let planner = try await client.login("planner", TestApp.password(for: "planner"))
            func post(_ path: String, _ body: String, _ token: String) async throws -> TestResponse {
                try await client.post(path, json: body, headers: [.authorization: "Bearer \(token)"])
            }
            let sitting = #"{"occupation":"2-02-10-09","level":"中级","direction":"计算机视觉产品实现","part":"theory","startsAt":"2027-03-01T09:00:00+08:00","venue":"示范考点","rooms":[{"name":"101","capacity":40}]}"#
            #expect(try await post("/api/v1/sittings", sitting.replacingOccurrences(of: "2027-03-01", with: "2020-03-01"), planner).errorCode == "invalid_sitting")
            let created = try await post("/api/v1/sittings", sitting, planner)
            #expect(created.status == .created)
            let id = try #require((created.json["sitting"] as? [String: Any])?["id"] as? String)
            #expect((created.json["sitting"] as? [String: Any])?["durationMinutes"] as? Int == 90)

            let placed = try await post("/api/v1/sittings/\(id)/place", "{}", planner)
            let rooms = try #require(((placed.json["sitting"] as? [String: Any])?["plan"] as? [String: Any])?["rooms"] as? [[String: Any]])
            #expect((rooms.first?["candidates"] as? [String])?.count == 31)

            // 2 invigilators for 31 candidates: refused, naming the rule, the room and the numbers.
            let two = examiners.prefix(2).map { "\"\($0.id)\"" }.joined(separator: ",")
            _ = try await post("/api/v1/sittings/\(id)/staff", #"{"room":"101","staff":[\#(two)]}"#, planner)
            _ = try await post("/api/v1/sittings/\(id)/supervisors", #"{"supervisors":["\#(supervisor.id)"]}"#, planner)
            let refused = try await post("/api/v1/sittings/\(id)/publish", "{}", planner)
            #expect(refused.errorCode == "publish_refused")
            #expect(refused.errorMessage?.contains("考场 101：31名考生至少需要3名监考员") == true, "\(refused.errorMessage ?? "")")
            #expect(try await app.services.store.sittings.tickets(sitting: id).isEmpty, "a refused sitting issues no tickets")

            // An examiner related to a candidate declares it; the draw never picks them.
            let examinerToken = try await client.login("inv0", TestApp.password(for: "inv0"))
            let declared = try await post("/api/v1/relations", #"{"candidateIDNumber":"\#(candidates[7].1)","kind":"relative"}"#, examinerToken)
            #expect(declared.status == .ok)
            for _ in 0..<5 {
                let drawn = try await post("/api/v1/sittings/\(id)/staff", #"{"draw":true}"#, planner)
                let staff = ((((drawn.json["sitting"] as? [String: Any])?["plan"] as? [String: Any])?["rooms"] as? [[String: Any]])?.first?["staff"] as? [String]) ?? []
                #expect(staff.count == 3)
                #expect(!staff.contains(examiners[0].id.rawValue), "a related examiner is never drawn")
            }
            // Assigning the related examiner by hand is refused at publishing.
            let withRelated = examiners.prefix(3).map { "\"\($0.id)\"" }.joined(separator: ",")
            _ = try await post("/api/v1/sittings/\(id)/staff", #"{"room":"101","staff":[\#(withRelated)]}"#, planner)
            #expect(try await post("/api/v1/sittings/\(id)/publish", "{}", planner).errorMessage?.contains("亲属关系") == true)

            let three = examiners.suffix(3).map { "\"\($0.id)\"" }.joined(separator: ",")
            _ = try await post("/api/v1/sittings/\(id)/staff", #"{"room":"101","staff":[\#(three)]}"#, planner)
            let published = try await post("/api/v1/sittings/\(id)/publish", "{}", planner)
            #expect((published.json["sitting"] as? [String: Any])?["status"] as? String == "published")
            let tickets = try await app.services.store.sittings.tickets(sitting: id)
            #expect(tickets.count == 31 && Set(tickets.map(\.code)).count == 31)
            #expect(tickets.map(\.seat) == Array(1...31) && Set(tickets.map(\.candidate)) == Set(candidates.map(\.0)))
            #expect(try await post("/api/v1/sittings/\(id)/place", "{}", planner).errorCode == "already_published")
        }
        let actions = try await app.services.store.audit.entries(after: 0, limit: 1000).map(\.action)
        for action in ["sitting.created", "sitting.candidates_placed", "sitting.staff_drawn", "staff.relation_declared", "sitting.published"] {
            #expect(actions.contains(action), "\(action) is not on the record")
        }
    }
}
