import Accounts
import Audit
import ExamCore
import Foundation
import Hummingbird
import ItemBank
import Storage

struct BankRoutes {
    let vault: BankVault
    let store: Store

    struct UnsealRequest: Decodable {
        var shares: [String]
    }

    struct ItemRow: Codable {
        var id: String
        var type: String
        var occupation: String
        var levels: [String]
        var directions: [String]?
        var point: String
        var difficulty: Double
        var discrimination: Double?
        var points: Double
        var enemyGroup: String?
        var status: String
        var version: Int
        /// The approved version in use, when there is one (a pending revision leaves it behind `version`).
        var activeVersion: Int?
        var synthetic: Bool

        init(_ summary: ItemSummary) {
            let meta = summary.metadata
            id = meta.id.rawValue
            type = meta.type.rawValue
            occupation = meta.occupation.rawValue
            levels = meta.levels.map(\.rawValue)
            if case .only(let list) = meta.directions { directions = list.map(\.name) } else { directions = nil }
            point = meta.point
            difficulty = meta.difficulty
            discrimination = meta.discrimination
            points = meta.points
            enemyGroup = meta.enemyGroup
            status = summary.status.rawValue
            version = summary.version
            activeVersion = summary.activeVersion
            synthetic = meta.synthetic
        }
    }

    struct ItemList: ResponseEncodable {
        var items: [ItemRow]
    }

    /// The content as the API shows it: the answer key flattened to plain JSON.
    struct ContentView: Codable {
        var stem: String
        var options: [String: String]
        var answer: String?
        var answers: [String]?
        var truth: Bool?
        var blanks: [[String]]?
        var referenceAnswer: String?
        var scoring: [ScoringPoint]
        var explanation: String?
        var preparation: String?
        var statement: String?
        var materials: [Material]
        var timeMinutes: Int?

        init(_ content: ItemContent) {
            stem = content.stem
            options = content.options
            switch content.answer {
            case .option(let letter): answer = letter
            case .options(let letters): answers = letters
            case .truth(let value): truth = value
            case .blanks(let variants): blanks = variants
            case nil: break
            }
            referenceAnswer = content.referenceAnswer
            scoring = content.scoring
            explanation = content.explanation
            preparation = content.preparation
            statement = content.statement
            materials = content.materials
            timeMinutes = content.timeMinutes
        }
    }

    struct ItemDocument: ResponseEncodable {
        var item: ItemRow
        var content: ContentView
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.get("bank/status") { _, _ in EditedResponse(status: .ok, response: StatusBody(try await vault.status())) }
        api.post("bank/unseal") { request, context in
            let body = try await request.decodeJSON(as: UnsealRequest.self, context: context)
            guard !body.shares.isEmpty, body.shares.count <= 255 else {
                throw ExamError.invalid("bad_share", "give one or more shares")
            }
            let shares = try body.shares.map(CustodianShare.init(parsing:))
            let status = try await vault.submit(shares, by: try context.requireIdentity().account.id.rawValue)
            return StatusBody(status)
        }
        api.post("bank/seal") { _, context in
            try await vault.seal(by: try context.requireIdentity().account.id.rawValue)
            return StatusBody(try await vault.status())
        }
        api.get("items") { request, _ in
            let query = request.uri.queryParameters
            let filter = ItemFilter(
                occupation: query["occupation"].map { OccupationCode(rawValue: String($0)) },
                level: query["level"].flatMap { Level(rawValue: String($0)) },
                status: query["status"].flatMap { ItemStatus(rawValue: String($0)) },
                point: query["point"].map(String.init),
                limit: min(query["limit"].flatMap { Int(String($0)) } ?? 1000, 5000)
            )
            return ItemList(items: try await store.items.items(filter).map(ItemRow.init))
        }
        api.get("items/{id}") { request, context in try await read(request, context) }
    }

    struct StatusBody: ResponseEncodable {
        var bank: BankVault.Status
        init(_ status: BankVault.Status) { bank = status }
    }

    /// Decrypts one item for a permitted reader; every read and every refusal goes on the record.
    private func read(_ request: Request, _ context: AppRequestContext) async throws -> ItemDocument {
        let identity = try context.requireIdentity()
        let id = ItemID(rawValue: try context.parameters.require("id"))
        let version = request.uri.queryParameters["version"].flatMap { Int(String($0)) }
        let purpose = String((request.uri.queryParameters["purpose"].map(String.init) ?? "view").prefix(60))
        guard let stored = try await store.items.version(of: id, version: version) else {
            throw ExamError(.notFound, code: "not_found", message: "no such item or version")
        }
        let decision = ItemAccessPolicy.decide(
            roles: identity.account.roles, accountID: identity.account.id.rawValue, author: stored.summary.author,
            status: stored.summary.status, authorOccupations: Set(identity.account.occupations),
            occupation: stored.summary.metadata.occupation
        )
        let subject = "item:\(id)@\(stored.version)"
        switch decision {
        case .denied(let reason):
            try await store.audit.append(AuditEvent(
                actor: identity.account.id.rawValue, action: "item.read_refused", subject: subject, payload: ["reason": .string(reason)]
            ))
            throw ExamError(.forbidden, code: "forbidden", message: reason)
        case .allowed(let reason):
            let key = try await vault.unsealedKey()
            let content = try ItemEnvelope.open(stored.sealed, id: id, version: stored.version, with: key)
            try await store.audit.append(AuditEvent(
                actor: identity.account.id.rawValue, action: "item.decrypted", subject: subject,
                payload: ["purpose": .string(purpose), "as": .string(reason)]
            ))
            return ItemDocument(item: ItemRow(stored.summary), content: ContentView(content))
        }
    }
}
