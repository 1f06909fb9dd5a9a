import Accounts
import ExamCore
import Foundation
import Hummingbird
import Storage

/// Sittings for exam administrators (supervisors read); relation declarations for staff.
struct SittingRoutes {
    let sittings: SittingService

    struct SittingView: ResponseEncodable, Codable {
        var sitting: SittingRecord
        /// What still stops publishing (empty once publishable or published).
        var problems: [String]
        var unplaced: Int?
        /// Who the plan's account ids are: candidates by name and document number (masked for
        /// supervisors), staff by name and login.
        var people: [String: Person]
    }

    struct Person: Codable {
        var name: String
        var role: String
        var idNumber: String?
        var username: String?
    }

    struct SittingList: ResponseEncodable {
        var sittings: [SittingRecord]
    }

    struct StaffRequest: Decodable {
        var room: String?
        var staff: [AccountID]?
        var chief: AccountID?
        var draw: Bool?
    }

    struct SupervisorsRequest: Decodable { var supervisors: [AccountID] }
    struct RelationRequest: Decodable {
        var candidateIDNumber: String
        var kind: RelationKind
    }

    struct RelationView: ResponseEncodable { var relation: StaffRelation }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("sittings") { request, context in
            let body = try await request.decodeJSON(as: SittingService.NewSitting.self, context: context)
            let sitting = try await sittings.create(body, actor: try context.requireIdentity().account.id.rawValue)
            return EditedResponse(status: .created, response: try await view(sitting, context))
        }
        api.get("sittings") { _, _ in SittingList(sittings: try await sittings.store.sittings.sittings()) }
        api.get("sittings/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let sitting = try await sittings.store.sittings.sitting(id: id) else {
                throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)")
            }
            return try await view(sitting, context)
        }
        api.post("sittings/{id}/place") { _, context in
            let (sitting, unplaced) = try await sittings.place(try context.parameters.require("id"), actor: try context.requireIdentity().account.id.rawValue)
            var result = try await view(sitting, context)
            result.unplaced = unplaced
            return result
        }
        api.post("sittings/{id}/staff") { request, context in
            let body = try await request.decodeJSON(as: StaffRequest.self, context: context)
            let id = try context.parameters.require("id")
            let actor = try context.requireIdentity().account.id.rawValue
            if body.draw == true { return try await view(try await sittings.drawStaff(id, actor: actor), context) }
            guard let room = body.room, let staff = body.staff else {
                throw ExamError.invalid("bad_request", "give room and staff, or draw: true")
            }
            return try await view(try await sittings.assignStaff(id, room: room, staff: staff, chief: body.chief, actor: actor), context)
        }
        api.post("sittings/{id}/supervisors") { request, context in
            let body = try await request.decodeJSON(as: SupervisorsRequest.self, context: context)
            return try await view(
                try await sittings.setSupervisors(try context.parameters.require("id"), body.supervisors, actor: try context.requireIdentity().account.id.rawValue),
                context
            )
        }
        api.post("sittings/{id}/publish") { _, context in
            try await view(try await sittings.publish(try context.parameters.require("id"), actor: try context.requireIdentity().account.id.rawValue), context)
        }
        api.post("relations") { request, context in
            let body = try await request.decodeJSON(as: RelationRequest.self, context: context)
            return RelationView(
                relation: try await sittings.declareRelation(by: try context.requireIdentity().account, candidateIDNumber: body.candidateIDNumber, kind: body.kind)
            )
        }
    }

    private func view(_ sitting: SittingRecord, _ context: AppRequestContext) async throws -> SittingView {
        let masked = !(try context.requireIdentity().account.has(.examAdmin))
        var people: [String: Person] = [:]
        for candidate in Set(sitting.plan.rooms.flatMap(\.candidates)) {
            let identity = try await sittings.store.applications.identity(of: candidate)
            people[candidate.rawValue] = Person(
                name: identity?.name ?? candidate.rawValue, role: "candidate", idNumber: masked ? identity?.maskedIDNumber : identity?.idNumber, username: nil
            )
        }
        let staff = Set(sitting.plan.rooms.flatMap { $0.staff + ($0.chief.map { [$0] } ?? []) } + sitting.plan.supervisors)
        for member in staff {
            let account = try await sittings.store.accounts.account(id: member)
            people[member.rawValue] = Person(name: account?.displayName ?? member.rawValue, role: "staff", idNumber: nil, username: account?.username)
        }
        return SittingView(
            sitting: sitting, problems: sitting.status == .published ? [] : try await sittings.problems(sitting), unplaced: nil, people: people
        )
    }
}
