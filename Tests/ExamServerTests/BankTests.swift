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
import ItemBank
import Storage
import Testing

@Suite struct BankTests {
    /// A bank with three items: a draft by author A, an item in review by A, and an active item by A.
    static func seed(_ app: TestApp) async throws -> (shares: [CustodianShare], authorA: Account, authorB: Account) {
        let shares = try await BankService(store: app.services.store, standards: app.services.catalog.standards)
            .initialise(custodians: 5, threshold: 3, actor: "test")
        let authorA = try await app.addAccount("author-a", roles: [.itemAuthor], occupations: ["2-02-10-09"])
        let authorB = try await app.addAccount("author-b", roles: [.itemAuthor], occupations: ["2-02-10-09", "2-02-10-11"])
        try await app.addAccount("author-c", roles: [.itemAuthor], occupations: ["2-02-10-11"])
        try await app.addAccount("keeper", roles: [.bankCustodian])
        try await app.addAccount("watcher", roles: [.supervisor])
        try await app.addAccount("marker", roles: [.examiner])
        let record = try #require(try await app.services.store.items.bankKey())
        let items = try [("D-1", ItemStatus.draft), ("R-1", .inReview), ("A-1", .active)].map { id, status in
            let metadata = ItemMetadata(
                id: ItemID(rawValue: id), type: .singleChoice, occupation: OccupationCode(rawValue: "2-02-10-09"), levels: [.intermediate],
                directions: .all, point: "2.2.1", difficulty: 0.6, points: 1
            )
            let content = ItemContent(stem: "题干 \(id) SECRET", options: ["A": "甲", "B": "乙"], answer: .option("A"))
            return NewItemVersion(
                metadata: metadata, sealed: try ItemEnvelope.seal(content, id: metadata.id, version: 1, to: try record.sealingKey()),
                status: status, author: authorA.id.rawValue
            )
        }
        try await app.services.store.items.importItems(items, audit: AuditEvent(actor: "test", action: "bank.imported", subject: "bank"))
        return (shares, authorA, authorB)
    }

    static func unseal(_ client: some TestClientProtocol, _ token: String, _ shares: [CustodianShare]) async throws -> TestResponse {
        let list = shares.map { "\"\($0)\"" }.joined(separator: ",")
        return try await client.post("/api/v1/bank/unseal", json: #"{"shares":[\#(list)]}"#, headers: [.authorization: "Bearer \(token)"])
    }

    @Test func contentIsReadableOnlyUnsealedAndOnlyByThoseThePolicyAllows() async throws {
        let app = try TestApp()
        defer { app.close() }
        let (shares, _, _) = try await Self.seed(app)
        try await app.application().test(.router) { client in
            let keeper = try await client.login("keeper", TestApp.password(for: "keeper"))
            let authorA = try await client.login("author-a", TestApp.password(for: "author-a"))
            let authorB = try await client.login("author-b", TestApp.password(for: "author-b"))
            let watcher = try await client.login("watcher", TestApp.password(for: "watcher"))
            let marker = try await client.login("marker", TestApp.password(for: "marker"))

            // Sealed: nobody reads content.
            let sealed = try await client.get("/api/v1/items/A-1", token: keeper)
            #expect(sealed.status == .conflict)
            #expect(sealed.errorCode == "bank_sealed")

            // Two of five shares do not unseal; the third does.
            let two = try await Self.unseal(client, keeper, Array(shares.prefix(2)))
            #expect((two.json["bank"] as? [String: Any])?["sealed"] as? Bool == true)
            #expect((two.json["bank"] as? [String: Any])?["sharesCollected"] as? Int == 2)
            #expect(try await client.get("/api/v1/items/A-1", token: keeper).status == .conflict)
            let three = try await Self.unseal(client, keeper, [shares[4]])
            #expect((three.json["bank"] as? [String: Any])?["sealed"] as? Bool == false)

            // The bank administrator reads anything; the content comes back whole.
            let read = try await client.get("/api/v1/items/A-1?purpose=quality-check", token: keeper)
            #expect(read.status == .ok)
            #expect((read.json["content"] as? [String: Any])?["stem"] as? String == "题干 A-1 SECRET")
            #expect((read.json["content"] as? [String: Any])?["answer"] as? String == "A")

            // Authors: own draft and own item in review, not own active item; another's item in review as reviewer.
            #expect(try await client.get("/api/v1/items/D-1", token: authorA).status == .ok)
            #expect(try await client.get("/api/v1/items/R-1", token: authorA).status == .ok)
            #expect(try await client.get("/api/v1/items/A-1", token: authorA).status == .forbidden)
            #expect(try await client.get("/api/v1/items/R-1", token: authorB).status == .ok)
            #expect(try await client.get("/api/v1/items/D-1", token: authorB).status == .forbidden)
            // An author of another occupation is no reviewer here.
            let authorC = try await client.login("author-c", TestApp.password(for: "author-c"))
            #expect(try await client.get("/api/v1/items/R-1", token: authorC).status == .forbidden)
            // Examiners never; supervisors see metadata only.
            #expect(try await client.get("/api/v1/items/A-1", token: marker).status == .forbidden)
            #expect(try await client.get("/api/v1/items/A-1", token: watcher).status == .forbidden)
            let list = try await client.get("/api/v1/items?level=中级".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, token: watcher)
            #expect(list.status == .ok)
            #expect((list.json["items"] as? [[String: Any]])?.count == 3)
            #expect(!String(buffer: list.body).contains("SECRET"))

            // Sealing again stops reads at once.
            #expect(try await client.post("/api/v1/bank/seal", json: "{}", headers: [.authorization: "Bearer \(keeper)"]).status == .ok)
            #expect(try await client.get("/api/v1/items/A-1", token: keeper).status == .conflict)
        }
        let entries = try await app.services.store.audit.entries(after: 0, limit: 200)
        let decrypted = entries.filter { $0.action == "item.decrypted" }
        #expect(decrypted.count == 4)
        #expect(decrypted.first?.payloadText.contains("quality-check") == true)
        #expect(entries.filter { $0.action == "item.read_refused" }.count == 3)
        #expect(entries.contains { $0.action == "bank.unsealed" })
        #expect(entries.contains { $0.action == "bank.sealed" })
        #expect(!entries.contains { $0.payloadText.contains("SECRET") || $0.payloadText.contains("assay-share") })
    }

    @Test func wrongSharesUnsealNothingAndAreForgotten() async throws {
        let app = try TestApp()
        defer { app.close() }
        let (shares, _, _) = try await Self.seed(app)
        let (_, foreign, _) = try BankKeyCeremony.create(custodians: 5, threshold: 3)
        var y = shares[2].share.y
        y[5] ^= 0xff
        let wrong = CustodianShare(bankID: shares[2].bankID, threshold: 3, count: 5, share: Shamir.Share(x: shares[2].share.x, y: y))
        try await app.application().test(.router) { client in
            let keeper = try await client.login("keeper", TestApp.password(for: "keeper"))
            let other = try await Self.unseal(client, keeper, [foreign[0]])
            #expect(other.status == .badRequest)
            #expect(other.errorCode == "bad_share")
            let typo = try await client.post("/api/v1/bank/unseal", json: #"{"shares":["assay-share-1:zz"]}"#, headers: [.authorization: "Bearer \(keeper)"])
            #expect(typo.errorCode == "bad_share")
            let failed = try await Self.unseal(client, keeper, [shares[0], shares[1], wrong])
            #expect(failed.status == .forbidden)
            #expect(failed.errorCode == "wrong_shares")
            let status = try await client.get("/api/v1/bank/status", token: keeper)
            #expect((status.json["bank"] as? [String: Any])?["sealed"] as? Bool == true)
            #expect((status.json["bank"] as? [String: Any])?["sharesCollected"] as? Int == 0, "a failed unseal forgets every share")
        }
        #expect(try await app.services.store.audit.entries(after: 0, limit: 100).contains { $0.action == "bank.unseal_failed" })
    }
}

@Suite struct ItemWorkflowTests {
    static func item(_ stem: String) -> String {
        #"{"schema":1,"occupation":"2-02-10-09","items":[{"id":"W-1","type":"true_false","levels":["初级"],"directions":"all","point":"1.1.1","difficulty":0.8,"points":1,"stem":"\#(stem)","answer":true}]}"#
    }

    @Test func draftReviewRevisionApproval() async throws {
        let app = try TestApp()
        defer { app.close() }
        _ = try await BankService(store: app.services.store, standards: app.services.catalog.standards)
            .initialise(custodians: 3, threshold: 2, actor: "test")
        try await app.addAccount("writer", roles: [.itemAuthor], occupations: ["2-02-10-09"])
        try await app.addAccount("checker", roles: [.itemAuthor], occupations: ["2-02-10-09"])
        try await app.addAccount("outsider", roles: [.itemAuthor], occupations: ["2-02-10-11"])
        try await app.addAccount("keeper", roles: [.bankCustodian])
        try await app.application().test(.router) { client in
            let writer = try await client.login("writer", TestApp.password(for: "writer"))
            let checker = try await client.login("checker", TestApp.password(for: "checker"))
            let keeper = try await client.login("keeper", TestApp.password(for: "keeper"))
            let outsider = try await client.login("outsider", TestApp.password(for: "outsider"))
            func post(_ path: String, _ token: String, _ body: String = "{}") async throws -> TestResponse {
                try await client.post(path, json: body, headers: [.authorization: "Bearer \(token)"])
            }
            let elsewhere = try await post("/api/v1/items", outsider, Self.item("判断：需求分析先于开发。"))
            #expect(elsewhere.errorCode == "outside_occupation", "authors write items of their own occupations")
            let created = try await post("/api/v1/items", writer, Self.item("判断：需求分析先于开发。"))
            #expect(created.status == .created)
            #expect(created.json["created"] as? [String] == ["W-1"])
            let many = (1...101).map { #"{"id":"M-\#($0)","type":"true_false","levels":["初级"],"directions":"all","point":"1.1.1","difficulty":0.8,"points":1,"stem":"判断 \#($0)","answer":true}"# }
            let tooMany = try await post("/api/v1/items", writer, #"{"schema":1,"occupation":"2-02-10-09","items":[\#(many.joined(separator: ","))]}"#)
            #expect(tooMany.errorCode == "too_many_items")
            #expect(try await app.services.store.items.count() == 1, "a refused request created nothing")
            let bad = try await post("/api/v1/items", writer, Self.item("x").replacingOccurrences(of: "\"1.1.1\"", with: "\"9.9.9\""))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "invalid_items")

            #expect(try await post("/api/v1/items/W-1/review", checker, #"{"decision":"approve"}"#).errorCode == "wrong_status")
            #expect(try await post("/api/v1/items/W-1/submit", checker).status == .forbidden, "only the author submits")
            #expect(try await post("/api/v1/items/W-1/submit", writer).json["status"] as? String == "in_review")
            #expect(try await post("/api/v1/items/W-1/review", writer, #"{"decision":"approve"}"#).status == .forbidden, "no self-review")
            #expect(try await post("/api/v1/items/W-1/review", outsider, #"{"decision":"approve"}"#).status == .forbidden, "reviewers stay in their occupation")
            #expect(try await post("/api/v1/items/W-1/review", checker, #"{"decision":"reject"}"#).errorCode == "comment_required")
            let rejected = try await post("/api/v1/items/W-1/review", checker, #"{"decision":"reject","comment":"题干表述不严谨"}"#)
            #expect(rejected.json["status"] as? String == "draft")

            let revised = try await post("/api/v1/items/W-1/versions", writer, Self.item("判断：需求分析应先于模型开发开展。"))
            #expect(revised.json["version"] as? Int == 2)
            #expect(try await post("/api/v1/items/W-1/versions", checker, Self.item("x")).status == .forbidden)
            _ = try await post("/api/v1/items/W-1/submit", writer)
            #expect(try await post("/api/v1/items/W-1/review", keeper, #"{"decision":"approve","comment":"同意"}"#).json["status"] as? String == "active")

            // Revising an active item: version 3 is a draft, version 2 stays in use until 3 is approved.
            let revision = try await post("/api/v1/items/W-1/versions", writer, Self.item("判断：需求分析应先于模型开发。"))
            #expect(revision.json["version"] as? Int == 3)
            let pending = try await client.get("/api/v1/items?status=draft", token: keeper)
            let row = try #require((pending.json["items"] as? [[String: Any]])?.first { $0["id"] as? String == "W-1" })
            #expect(row["version"] as? Int == 3)
            #expect(row["activeVersion"] as? Int == 2)
            let usable = try await app.services.store.items.items(ItemFilter(usable: true))
            #expect(usable.map(\.metadata.id.rawValue) == ["W-1"], "the approved version keeps the item usable")
            let typeChange = Self.item("x").replacingOccurrences(of: "\"true_false\"", with: "\"short_answer\"")
            #expect(try await post("/api/v1/items/W-1/versions", writer, typeChange).status == .badRequest)
            _ = try await post("/api/v1/items/W-1/submit", writer)
            #expect(try await post("/api/v1/items/W-1/review", checker, #"{"decision":"approve"}"#).json["status"] as? String == "active")
            #expect(try await app.services.store.items.version(of: ItemID(rawValue: "W-1"), version: nil)?.summary.activeVersion == 3)

            #expect(try await post("/api/v1/items/W-1/retire", writer).status == .forbidden)
            #expect(try await post("/api/v1/items/W-1/retire", keeper).json["status"] as? String == "retired")

            let reviews = try await client.get("/api/v1/items/W-1/reviews", token: keeper)
            let list = try #require(reviews.json["reviews"] as? [[String: Any]])
            #expect(list.map { $0["approved"] as? Bool } == [false, true, true])
            #expect(list.map { $0["version"] as? Int } == [1, 2, 3])
        }
        let actions = try await app.services.store.audit.entries(after: 0, limit: 100).map(\.action)
        for action in ["item.submitted", "item.rejected", "item.revised", "item.approved", "item.retired"] {
            #expect(actions.contains(action), "\(action) is not on the record")
        }
        // Version 1 is kept: versions are immutable.
        #expect(try await app.services.store.items.version(of: ItemID(rawValue: "W-1"), version: 1)?.version == 1)
        #expect(try await app.services.store.items.items(ItemFilter(usable: true)).isEmpty, "a retired item is not usable")
    }
}
