import Accounts
import Audit
import ExamCore
import ExamServer
import ExamTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

@Suite struct RegistrationTests {
    static func residentID(_ seventeen: String) -> String { seventeen + String(NationalID.checkCharacter(for: seventeen)!) }

    static func registration(_ username: String, id: String, name: String = "张伟") -> String {
        #"{"username":"\#(username)","password":"a-long-and-unusual-passphrase","name":"\#(name)","idType":"resident_id","idNumber":"\#(id)"}"#
    }

    @Test func candidatesRegisterApplyAndAreDecidedWithReasons() async throws {
        let app = try TestApp()
        defer { app.close() }
        try await app.addAccount("planner", roles: [.examAdmin])
        try await app.addAccount("watcher", roles: [.supervisor])
        let first = Self.residentID("44030419900307451")
        try await app.application().test(.router) { client in
            func post(_ path: String, _ body: String, token: String? = nil) async throws -> TestResponse {
                try await client.post(path, json: body, headers: token.map { [.authorization: "Bearer \($0)"] } ?? [:])
            }
            // Registration: the identity is checked and derived; nothing is written on any error.
            let accountsBefore = try await app.services.store.accounts.count()
            for (body, code) in [
                (Self.registration("wei", id: "440304199003074511"), "invalid_id_number"),
                (Self.registration("wei", id: first).replacingOccurrences(of: "a-long-and-unusual-passphrase", with: "password"), "weak_password"),
                (Self.registration("wei", id: first, name: ""), "invalid_name"),
                (Self.registration("wei", id: first).replacingOccurrences(of: #""idNumber""#, with: #""gender":"女","idNumber""#), "id_mismatch"),
            ] {
                #expect(try await post("/api/v1/register", body).errorCode == code)
            }
            #expect(try await app.services.store.accounts.count() == accountsBefore, "refused registrations wrote nothing")
            let registered = try await post("/api/v1/register", Self.registration("wei", id: first.lowercased()))
            #expect(registered.status == .created)
            let identity = try #require(registered.json["identity"] as? [String: Any])
            #expect(identity["gender"] as? String == "男")
            #expect(identity["birthDate"] as? String == "1990-03-07")
            #expect(try await post("/api/v1/register", Self.registration("wei2", id: first)).errorCode == "duplicate_identity")
            #expect(try await post("/api/v1/register", Self.registration("wei", id: Self.residentID("11010519491231002"))).errorCode == "duplicate_username")

            // Applying needs the current commitment accepted and a form that fits the standard.
            let token = try await client.login("wei", "a-long-and-unusual-passphrase")
            let commitment = try await client.get("/api/v1/commitment")
            let sha = try #require(commitment.json["sha256"] as? String)
            #expect((commitment.json["text"] as? String)?.contains("告知承诺书") == true)
            let form = #"{"occupation":"2-02-10-09","level":"中级","direction":"计算机视觉产品实现","education":"本科","relevantMajor":true,"certificate":"初级","certificateObtained":"2020-05-01","yearsInOccupation":6,"technicalSchoolGraduate":false,"trainingHours":130}"#
            #expect(try await post("/api/v1/applications", #"{"form":\#(form),"commitmentSHA256":"\#(sha)","accepted":false}"#, token: token).errorCode == "commitment_required")
            #expect(try await post("/api/v1/applications", #"{"form":\#(form),"commitmentSHA256":"\#(String(repeating: "0", count: 64))","accepted":true}"#, token: token).errorCode == "commitment_changed")
            let badDirection = form.replacingOccurrences(of: "计算机视觉产品实现", with: "量子计算")
            #expect(try await post("/api/v1/applications", #"{"form":\#(badDirection),"commitmentSHA256":"\#(sha)","accepted":true}"#, token: token).errorCode == "invalid_application")
            let applied = try await post("/api/v1/applications", #"{"form":\#(form),"commitmentSHA256":"\#(sha)","accepted":true}"#, token: token)
            #expect(applied.status == .created)
            #expect((applied.json["explanation"] as? String)?.hasPrefix("符合中级申报条件 中级-2") == true)
            let applicationID = try #require((applied.json["application"] as? [String: Any])?["id"] as? String)
            #expect(try await post("/api/v1/applications", #"{"form":\#(form),"commitmentSHA256":"\#(sha)","accepted":true}"#, token: token).errorCode == "duplicate_application")
            // An ineligible one (高级 without a 中级 certificate) is stored with the reasons.
            let senior = form.replacingOccurrences(of: "中级", with: "高级")
            let ineligible = try await post("/api/v1/applications", #"{"form":\#(senior),"commitmentSHA256":"\#(sha)","accepted":true}"#, token: token)
            #expect(((ineligible.json["application"] as? [String: Any])?["eligibility"] as? [String: Any])?["eligible"] as? Bool == false)
            #expect((ineligible.json["explanation"] as? String)?.contains("不符合高级任何一项申报条件") == true)
            let seniorID = try #require((ineligible.json["application"] as? [String: Any])?["id"] as? String)

            // Staff: the administrator sees the full ID number, the supervisor a masked one.
            let planner = try await client.login("planner", TestApp.password(for: "planner"))
            let watcher = try await client.login("watcher", TestApp.password(for: "watcher"))
            let queue = try await client.get("/api/v1/applications?status=submitted", token: planner)
            let rows = try #require(queue.json["applications"] as? [[String: Any]])
            #expect(rows.count == 2)
            #expect((rows.first?["candidate"] as? [String: Any])?["idNumber"] as? String == first)
            let masked = try await client.get("/api/v1/applications/\(applicationID)", token: watcher)
            #expect((masked.json["candidate"] as? [String: Any])?["idNumber"] as? String == "4403***********\(first.suffix(3))")
            #expect(try await post("/api/v1/applications/\(applicationID)/decision", #"{"decision":"approve"}"#, token: watcher).status == .forbidden)
            #expect(try await post("/api/v1/applications", #"{"form":\#(form),"commitmentSHA256":"\#(sha)","accepted":true}"#, token: planner).status == .forbidden)

            // Decisions: a rejection needs a reason, and so does approving what the engine found ineligible.
            #expect(try await post("/api/v1/applications/\(seniorID)/decision", #"{"decision":"reject"}"#, token: planner).errorCode == "reason_required")
            #expect(try await post("/api/v1/applications/\(seniorID)/decision", #"{"decision":"approve"}"#, token: planner).errorCode == "reason_required")
            let rejected = try await post("/api/v1/applications/\(seniorID)/decision", #"{"decision":"reject","reason":"未取得本职业中级证书"}"#, token: planner)
            #expect((rejected.json["application"] as? [String: Any])?["status"] as? String == "rejected")
            let approved = try await post("/api/v1/applications/\(applicationID)/decision", #"{"decision":"approve"}"#, token: planner)
            #expect((approved.json["application"] as? [String: Any])?["status"] as? String == "approved")
            #expect(try await post("/api/v1/applications/\(applicationID)/decision", #"{"decision":"reject","reason":"x"}"#, token: planner).errorCode == "wrong_status")

            // The candidate sees both outcomes and the reason.
            let mine = try await client.get("/api/v1/applications/mine", token: token)
            let own = try #require(mine.json["applications"] as? [[String: Any]])
            let statuses = Dictionary(uniqueKeysWithValues: own.compactMap { view -> (String, [String: Any])? in
                guard let record = view["application"] as? [String: Any], let id = record["id"] as? String else { return nil }
                return (id, record)
            })
            #expect(statuses[seniorID]?["reason"] as? String == "未取得本职业中级证书")
            #expect(statuses[applicationID]?["status"] as? String == "approved")
        }
        let actions = try await app.services.store.audit.entries(after: 0, limit: 500).map(\.action)
        for action in ["candidate.registered", "application.submitted", "application.rejected", "application.approved"] {
            #expect(actions.contains(action), "\(action) is not on the record")
        }
    }
}
