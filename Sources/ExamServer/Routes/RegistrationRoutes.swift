import Accounts
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Candidate registration and applications; the administrator's queue and decisions.
struct RegistrationRoutes {
    let registration: RegistrationService

    struct Registered: ResponseEncodable {
        var account: AccountView
        var identity: IdentityView
    }

    struct IdentityView: Codable {
        var name: String
        var idType: String
        var idNumber: String
        var gender: String
        var birthDate: String

        init(_ identity: CandidateIdentity, masked: Bool) {
            name = identity.name
            idType = identity.idType.rawValue
            idNumber = masked ? identity.maskedIDNumber : identity.idNumber
            gender = identity.gender.rawValue
            birthDate = identity.birthDate
        }
    }

    struct Commitment: ResponseEncodable {
        var text: String
        var sha256: String
    }

    struct ApplyRequest: Decodable {
        var form: ApplicationForm
        var commitmentSHA256: String?
        var accepted: Bool
    }

    struct DecisionRequest: Decodable {
        var decision: String
        var reason: String?
    }

    /// An application with, for staff, who applied.
    struct ApplicationView: ResponseEncodable, Codable {
        var application: ApplicationRecord
        var explanation: String
        var explanationEnglish: String
        var candidate: IdentityView?
        /// The candidate's documents (in the detail for staff).
        var evidence: [EvidenceService.View]?
    }

    struct ApplicationList: ResponseEncodable {
        var applications: [ApplicationView]
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("register") { request, context in
            let body = try await request.decodeJSON(as: RegistrationService.Registration.self, context: context)
            let (account, identity) = try await registration.register(body)
            return EditedResponse(status: .created, response: Registered(account: AccountView(account), identity: IdentityView(identity, masked: false)))
        }
        api.get("commitment") { _, _ in Commitment(text: registration.commitment, sha256: registration.commitmentSHA256) }
        api.post("applications") { request, context in
            let body = try await request.decodeJSON(as: ApplyRequest.self, context: context)
            let record = try await registration.apply(
                body.form, commitmentSHA256: body.commitmentSHA256, accepted: body.accepted, by: try context.requireIdentity().account,
                address: context.clientAddress, userAgent: request.headers[.userAgent]
            )
            return EditedResponse(status: .created, response: view(record, identity: nil))
        }
        api.get("applications/mine") { _, context in
            let account = try context.requireIdentity().account
            let records = try await registration.store.applications.applications(ApplicationFilter(accountID: account.id))
            return ApplicationList(applications: records.map { view($0, identity: nil) })
        }
        api.post("applications/{id}/withdraw") { _, context in
            view(try await registration.withdraw(try context.parameters.require("id"), by: try context.requireIdentity().account), identity: nil)
        }
        api.get("applications") { request, context in
            let query = request.uri.queryParameters
            let filter = ApplicationFilter(
                status: query["status"].flatMap { ApplicationStatus(rawValue: String($0)) },
                occupation: query["occupation"].map { OccupationCode(rawValue: String($0)) },
                level: query["level"].flatMap { Level(rawValue: String($0)) }
            )
            let masked = !(try context.requireIdentity().account.has(.examAdmin))
            var views: [ApplicationView] = []
            for record in try await registration.store.applications.applications(filter) {
                let identity = try await registration.store.applications.identity(of: record.accountID)
                views.append(view(record, identity: identity.map { IdentityView($0, masked: masked) }))
            }
            return ApplicationList(applications: views)
        }
        api.get("applications/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let record = try await registration.store.applications.application(id: id) else {
                throw ExamError(.notFound, code: "not_found", message: "no application \(id)")
            }
            let masked = !(try context.requireIdentity().account.has(.examAdmin))
            let identity = try await registration.store.applications.identity(of: record.accountID)
            var detail = view(record, identity: identity.map { IdentityView($0, masked: masked) })
            detail.evidence = try await registration.store.evidence.evidence(owner: record.accountID).map(EvidenceService.View.init)
            return detail
        }
        api.post("applications/{id}/decision") { request, context in
            let body = try await request.decodeJSON(as: DecisionRequest.self, context: context)
            guard ["approve", "reject"].contains(body.decision) else {
                throw ExamError.invalid("bad_decision", "decision must be approve or reject")
            }
            let record = try await registration.decide(
                try context.parameters.require("id"), approve: body.decision == "approve", reason: body.reason,
                by: try context.requireIdentity().account
            )
            let identity = try await registration.store.applications.identity(of: record.accountID)
            return view(record, identity: identity.map { IdentityView($0, masked: false) })
        }
    }

    private func view(_ record: ApplicationRecord, identity: IdentityView?) -> ApplicationView {
        ApplicationView(
            application: record, explanation: record.eligibility.explanation, explanationEnglish: record.eligibility.englishExplanation,
            candidate: identity, evidence: nil
        )
    }
}
