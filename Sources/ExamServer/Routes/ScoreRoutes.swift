import Accounts
import Delivery
import Documents
import ExamCore
import Foundation
import Hummingbird
import ItemBank
import Scoring
import Storage

/// Objective scores of a sitting's hand-ins, for the exam administrator and supervisors (never
/// candidates: results are published by the results module).
struct ScoreRoutes {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }

    struct Row: Codable, Sendable {
        var candidate: String
        var name: String
        var room: String
        var seat: Int
        var objective: Double
        var objectiveMaximum: Double
        var maximum: Double
        var pending: Int
        var scoredAt: Date
    }
    struct ListResponse: ResponseEncodable {
        var sitting: String
        var scored: Int
        var handedIn: Int
        var scores: [Row]
    }
    struct CorrectionResponse: ResponseEncodable {
        var item: String
        var version: Int
        var rescored: [KeyCorrectionService.Rescored]
    }
    struct DetailResponse: ResponseEncodable {
        var candidate: String
        var objective: Double
        var maximum: Double
        var pending: Int
        var rules: ObjectiveScoringRules
        var items: [ItemScore]
    }

    /// The sitting's scores in seat order, with how many hand-ins there are.
    private func list(_ id: String) async throws -> ListResponse {
        let live = try await runtime.sitting(id)
        let scores = try await store.delivery.scores(id)
        let handedIn = try await store.delivery.attempts(id).filter { $0.attempt.status == .handedIn }.count
        let rows = scores.compactMap { score -> Row? in
            guard let seat = live.seats[score.candidate] else { return nil }
            return Row(
                candidate: score.candidate, name: seat.name, room: seat.room, seat: seat.seat, objective: score.objective,
                objectiveMaximum: score.objectiveMaximum, maximum: score.maximum, pending: score.pending, scoredAt: score.scoredAt
            )
        }.sorted { ($0.room, $0.seat) < ($1.room, $1.seat) }
        return ListResponse(sitting: id, scored: rows.count, handedIn: handedIn, scores: rows)
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.get("sittings/{id}/scores") { _, context in
            try await list(try context.parameters.require("id"))
        }
        api.get("sittings/{id}/scores/export") { request, context in
            let listing = try await list(try context.parameters.require("id"))
            let table = Table(
                title: "客观题得分",
                headers: ["考场", "座号", "姓名", "客观题得分", "客观题满分", "卷面满分", "待评阅题数", "评分时间"],
                rows: listing.scores.map { row in
                    [.init(row.room), .init(row.seat), .init(row.name), .number(row.objective), .number(row.objectiveMaximum), .number(row.maximum),
                     .init(row.pending), .init(CalendarDate.minute(row.scoredAt))]
                }
            )
            return try AdministrationRoutes.download(table, request: request, name: "客观题得分-\(listing.sitting)")
        }
        api.post("items/{id}/key-corrections") { request, context in
            let body = try await request.decodeJSON(as: KeyCorrectionService.Input.self, context: context)
            let item = try context.parameters.require("id")
            let rescored = try await KeyCorrectionService(runtime: runtime).correct(
                ItemID(rawValue: item), body, actor: try context.requireIdentity().account.id.rawValue
            )
            return EditedResponse(status: .created, response: CorrectionResponse(item: item, version: body.version, rescored: rescored))
        }
        api.get("sittings/{id}/scores/{candidate}") { _, context in
            let id = try context.parameters.require("id")
            let candidate = try context.parameters.require("candidate")
            guard let score = try await store.delivery.scores(id).first(where: { $0.candidate == candidate }) else {
                throw ExamError(.notFound, code: "not_scored", message: "该考生尚无成绩 (no score for this candidate yet)")
            }
            let decoder = JSONDecoder()
            return DetailResponse(
                candidate: candidate, objective: score.objective, maximum: score.maximum, pending: score.pending,
                rules: try decoder.decode(ObjectiveScoringRules.self, from: Data(score.rules.utf8)),
                items: try decoder.decode([ItemScore].self, from: Data(score.items.utf8))
            )
        }
    }
}
