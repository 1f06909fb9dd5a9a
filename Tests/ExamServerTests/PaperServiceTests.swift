import Audit
import ExamCore
import ExamServer
import ExamStandards
import ExamTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import ItemBank
import PaperAssembly
import Storage
import Testing

@Suite struct PaperServiceTests {
    static let blueprint = """
        schema: 1
        occupation: "2-02-10-09"
        blueprints:
          - level: 中级
            part: theory
            sections:
              - {type: single_choice, count: 30, points: 2}
              - {type: multiple_choice, count: 10, points: 4}
            weight_tolerance: 8
            difficulty: {target: 0.6, max_deviation: 0.1}
            max_shared: 0
            exposure_cap: 2
        """

    /// A bank of synthetic single and multiple choice items, all active, with a canary in every stem.
    static func setUp(_ app: TestApp) throws -> (PaperService, BankService, [CustodianShare], TemporaryDirectory) {
        let folder = TemporaryDirectory()
        try Self.blueprint.write(toFile: folder.file("2-02-10-09.yaml"), atomically: true, encoding: .utf8)
        let standards = app.services.catalog.standards
        return (
            PaperService(store: app.services.store, standards: standards, blueprints: folder.path),
            BankService(store: app.services.store, standards: standards), [], folder
        )
    }

    static func importBank(_ bank: BankService, _ standard: OccupationStandard) async throws -> [CustodianShare] {
        let shares = try await bank.initialise(custodians: 3, threshold: 2, actor: "test")
        let drafts = SyntheticBank.generate(count: 1200, seed: 4, standard: standard)
            .filter { $0.metadata.type == .singleChoice || $0.metadata.type == .multipleChoice }
            .map { draft -> ItemDraft in
                var draft = draft
                draft.content.stem += " PAPER-CANARY-51"
                return draft
            }
        _ = try await bank.importDrafts(drafts, status: .active, actor: "test", source: "test")
        return shares
    }

    @Test func savedFormsAreFrozenSealedOpenedAndThenImmutable() async throws {
        let app = try TestApp()
        defer { app.close() }
        let (papers, bank, _, folder) = try Self.setUp(app)
        _ = folder
        let standard = try #require(app.services.catalog.standards.first { $0.code.rawValue == "2-02-10-09" })
        let shares = try await Self.importBank(bank, standard)
        let request = PaperService.Request(exam: "2-02-10-09", level: "中级", direction: "人工智能平台产品实现", part: "theory", forms: 2, seed: 9, moves: 20_000)

        let (assembly, preview) = try await papers.save(request, replacing: nil, actor: "exam-admin")
        #expect(preview.result.feasible)
        let stored = try await app.services.store.papers.papers(of: assembly.id)
        #expect(stored.map(\.id) == ["\(assembly.id)-F1", "\(assembly.id)-F2"])
        #expect(stored.allSatisfy { $0.items.count == 40 && abs($0.totalPoints - 100) < 1e-9 && $0.sealed == nil })
        // Exposure: every item used once (disjoint forms).
        let used = Set(stored.flatMap { $0.items.map(\.itemID) })
        let exposed = try await app.services.store.items.items(ItemFilter(usable: true)).filter { $0.exposureCount > 0 }
        #expect(Set(exposed.map(\.metadata.id)) == used)

        // Sealing needs the bank key; the packages hold the pinned content, never in clear at rest.
        let record = try #require(try await app.services.store.items.bankKey())
        let key = try BankKeyCeremony.unseal(record, shares: Array(shares.prefix(2)))
        let sealed = try await papers.seal(assembly.id, bank: key, actor: "custodian")
        #expect(sealed.allSatisfy { $0.sealed != nil && $0.sealedAt != nil })
        #expect(try await app.services.store.papers.assembly(id: assembly.id)?.status == .sealed)
        let again = await #expect(throws: ExamError.self) { try await papers.seal(assembly.id, bank: key, actor: "custodian") }
        #expect(again?.code == "wrong_status")
        for text in try RawSQLite.allText(app.dataDirectory.databasePath) { #expect(!text.contains("PAPER-CANARY-51")) }

        // A rotated bank key still opens the sealed papers (their keys were re-wrapped).
        _ = try await bank.rotate(shares: Array(shares.suffix(2)), actor: "custodian")
        let rotated = try BankKeyCeremony.unseal(try #require(try await app.services.store.items.bankKey()), shares: Array(shares.prefix(2)))
        let package = try await papers.open(stored[0].id, bank: rotated, actor: "sitting", purpose: "sitting start")
        #expect(package.items.map(\.id) == stored[0].items.map(\.itemID))
        #expect(package.items.allSatisfy { $0.content.stem.hasSuffix("PAPER-CANARY-51") })
        #expect(abs(package.totalPoints - 100) < 1e-9)

        // Released: no reassembly, no discard.
        #expect(try await app.services.store.papers.assembly(id: assembly.id)?.status == .released)
        let replaced = await #expect(throws: ExamError.self) { try await papers.save(request, replacing: assembly.id, actor: "exam-admin") }
        #expect(replaced?.code == "already_released")
        let discarded = await #expect(throws: ExamError.self) { try await papers.discard(assembly.id, actor: "exam-admin") }
        #expect(discarded?.code == "already_released")
        #expect(try await app.services.store.papers.assemblies().count == 1, "the refused reassembly stored nothing")

        let actions = try await app.services.store.audit.entries(after: 0, limit: 500).map(\.action)
        for action in ["paper.assembled", "paper.sealed", "paper.opened"] { #expect(actions.contains(action)) }
    }

    @Test func anAssemblyNotReleasedCanBeReplacedAndGivesItsExposureBack() async throws {
        let app = try TestApp()
        defer { app.close() }
        let (papers, bank, _, folder) = try Self.setUp(app)
        _ = folder
        let standard = try #require(app.services.catalog.standards.first { $0.code.rawValue == "2-02-10-09" })
        _ = try await Self.importBank(bank, standard)
        let request = PaperService.Request(exam: "2-02-10-09", level: "中级", direction: "人工智能平台产品实现", part: "theory", forms: 1, seed: 1, moves: 5_000)
        let (first, _) = try await papers.save(request, replacing: nil, actor: "a")
        var next = request
        next.seed = 2
        let (second, _) = try await papers.save(next, replacing: first.id, actor: "a")
        #expect(try await app.services.store.papers.assembly(id: first.id)?.status == .discarded)
        let secondItems = Set(try await app.services.store.papers.papers(of: second.id).flatMap { $0.items.map(\.itemID) })
        let exposure = try await app.services.store.items.items(ItemFilter(usable: true))
        // Only the items of the assembly still standing carry an exposure.
        #expect(Set(exposure.filter { $0.exposureCount > 0 }.map(\.metadata.id)) == secondItems)
        #expect(exposure.allSatisfy { $0.exposureCount <= 1 })
    }

    @Test func aTamperedOrMovedPackageFailsToOpen() throws {
        let (_, _, bank) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        let package = PaperPackage(
            paperID: "ASM-1-F1", occupation: OccupationCode(rawValue: "2-02-10-09"), level: .intermediate, direction: Direction("x"), part: .theory,
            items: [PackagedItem(id: ItemID(rawValue: "I-1"), version: 1, type: .trueFalse, points: 100, content: ItemContent(stem: "判断", options: [:]))]
        )
        var sealed = try PaperSealing.seal(package, to: bank.sealingKey)
        #expect(try PaperSealing.open(sealed, paperID: "ASM-1-F1", with: bank) == package)
        let moved = #expect(throws: ExamError.self) { try PaperSealing.open(sealed, paperID: "ASM-1-F2", with: bank) }
        #expect(moved?.code == "integrity_error")
        sealed.ciphertext[sealed.ciphertext.startIndex + 20] ^= 1
        let flipped = #expect(throws: ExamError.self) { try PaperSealing.open(sealed, paperID: "ASM-1-F1", with: bank) }
        #expect(flipped?.code == "integrity_error")
    }

    @Test func twoCandidatesSeeDifferentOrdersThatScoreTheSame() throws {
        let options = ["A": "甲", "B": "乙", "C": "丙", "D": "丁"]
        let items = (1...12).map { index in
            PackagedItem(
                id: ItemID(rawValue: "S-\(index)"), version: 1, type: index <= 8 ? .singleChoice : .multipleChoice, points: 1,
                content: ItemContent(stem: "题 \(index)", options: options, answer: index <= 8 ? .option("C") : .options(["A", "D"]))
            )
        }
        let package = PaperPackage(
            paperID: "P", occupation: OccupationCode(rawValue: "2-02-10-09"), level: .junior, direction: Direction("x"), part: .theory, items: items
        )
        let one = Presentation.make(for: package, seed: 1001)
        let two = Presentation.make(for: package, seed: 2002)
        #expect(one == Presentation.make(for: package, seed: 1001), "the same seed gives the same order")
        #expect(one.entries.map(\.item) != two.entries.map(\.item) || one.entries.map(\.options) != two.entries.map(\.options))
        for presentation in [one, two] {
            // Sections keep their order; every item appears once.
            #expect(presentation.entries.prefix(8).allSatisfy { $0.item < 8 } && presentation.entries.suffix(4).allSatisfy { $0.item >= 8 })
            #expect(Set(presentation.entries.map(\.item)) == Set(0..<12))
            for entry in presentation.entries {
                let shown = presentation.displayed(entry, in: package)
                #expect(shown.answer == nil, "the key never reaches the candidate")
                // The candidate picks the options whose text is the right answer's text…
                let key: [String] = entry.item < 8 ? ["C"] : ["A", "D"]
                let chosen = shown.options.filter { letter, text in key.contains { options[$0] == text } }.map(\.key)
                // …and scoring maps them back to the canonical key.
                #expect(presentation.canonical(chosen, for: entry) == key)
            }
        }
    }
}

@Suite struct PaperRoutesTests {
    @Test func anExamAdministratorPreviewsSavesSealsAndDiscardsOverHTTP() async throws {
        let app = try TestApp()
        defer { app.close() }
        let standards = app.services.catalog.standards
        let standard = try #require(standards.first { $0.code.rawValue == "2-02-10-09" })
        let bank = BankService(store: app.services.store, standards: standards)
        let shares = try await bank.initialise(custodians: 3, threshold: 2, actor: "test")
        _ = try await bank.importDrafts(SyntheticBank.generate(count: 2500, seed: 8, standard: standard), status: .active, actor: "test", source: "test")
        try await app.addAccount("planner", roles: [.examAdmin])
        try await app.addAccount("watcher", roles: [.supervisor])
        try await app.addAccount("keeper", roles: [.bankCustodian])
        let request = #"{"exam":"2-02-10-09","level":"中级","direction":"计算机视觉产品实现","part":"theory","forms":2,"seed":5,"moves":20000}"#
        try await app.application().test(.router) { client in
            let planner = try await client.login("planner", TestApp.password(for: "planner"))
            let watcher = try await client.login("watcher", TestApp.password(for: "watcher"))
            let keeper = try await client.login("keeper", TestApp.password(for: "keeper"))
            func post(_ path: String, _ token: String, _ body: String = "{}") async throws -> TestResponse {
                try await client.post(path, json: body, headers: [.authorization: "Bearer \(token)"])
            }
            let preview = try await post("/api/v1/papers/preview", planner, request)
            #expect(preview.status == .ok)
            #expect((preview.json["report"] as? [String: Any])?["feasible"] as? Bool == true)
            #expect((preview.json["forms"] as? [[String: Any]])?.count == 2)
            #expect(try await app.services.store.papers.assemblies().isEmpty, "a preview stores nothing")
            #expect(try await post("/api/v1/papers/preview", watcher, request).status == .forbidden)
            let noDirection = try await post("/api/v1/papers/preview", planner, request.replacingOccurrences(of: #""direction":"计算机视觉产品实现","#, with: ""))
            #expect(noDirection.errorCode == "direction_required")

            let saved = try await post("/api/v1/papers", planner, #"{"request":\#(request)}"#)
            #expect(saved.status == .created)
            let assembly = try #require(saved.json["assembly"] as? [String: Any])
            let id = try #require(assembly["id"] as? String)
            #expect(assembly["status"] as? String == "assembled")
            #expect((assembly["papers"] as? [[String: Any]])?.count == 2)

            let listed = try await client.get("/api/v1/papers", token: watcher)
            #expect((listed.json["assemblies"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            let shown = try await client.get("/api/v1/papers/\(id)", token: watcher)
            #expect((shown.json["report"] as? [String: Any])?["feasible"] as? Bool == true)
            #expect(!String(buffer: shown.body).contains("合成试题"), "no item content in a paper's description")

            #expect(try await post("/api/v1/papers/\(id)/seal", planner).errorCode == "bank_sealed")
            let list = shares.prefix(2).map { "\"\($0)\"" }.joined(separator: ",")
            #expect(try await post("/api/v1/bank/unseal", keeper, #"{"shares":[\#(list)]}"#).status == .ok)
            let sealed = try await post("/api/v1/papers/\(id)/seal", planner)
            #expect((sealed.json["assembly"] as? [String: Any])?["status"] as? String == "sealed")
            #expect(try await post("/api/v1/papers/\(id)/discard", watcher).status == .forbidden)
            let discarded = try await post("/api/v1/papers/\(id)/discard", planner)
            #expect((discarded.json["assembly"] as? [String: Any])?["status"] as? String == "discarded")
            #expect(try await post("/api/v1/papers/\(id)/discard", planner).errorCode == "wrong_status")
        }
    }
}
