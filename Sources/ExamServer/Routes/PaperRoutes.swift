import Accounts
import ExamCore
import Foundation
import Hummingbird
import PaperAssembly
import Storage

/// Paper assembly for exam administrators: preview forms with their report, save them, seal
/// them (the bank must be unsealed), discard them before release; supervisors read everything.
struct PaperRoutes {
    let papers: PaperService
    let vault: BankVault

    struct SaveRequest: Decodable {
        var request: PaperService.Request
        var replacing: String?
    }

    struct PreviewBody: ResponseEncodable {
        var report: ConformanceReport
        var forms: [AssembledForm]
        var firstFeasibleSeconds: Double?
        var elapsedSeconds: Double
    }

    struct AssemblyBody: ResponseEncodable {
        var assembly: AssemblyView
        var report: ConformanceReport?
    }

    struct AssemblyList: ResponseEncodable {
        var assemblies: [AssemblyView]
    }

    /// Assembly is CPU work: previews over the web get a smaller move budget than the CLI default.
    static let webMoves = 100_000

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.post("papers/preview") { request, context in
            var body = try await request.decodeJSON(as: PaperService.Request.self, context: context)
            body.moves = min(body.moves ?? Self.webMoves, Self.webMoves)
            let result = try await papers.assemble(body).result
            return PreviewBody(
                report: result.report, forms: result.forms, firstFeasibleSeconds: result.firstFeasible?.inSeconds,
                elapsedSeconds: result.elapsed.inSeconds
            )
        }
        api.post("papers") { request, context in
            var body = try await request.decodeJSON(as: SaveRequest.self, context: context)
            body.request.moves = min(body.request.moves ?? Self.webMoves, Self.webMoves)
            let (record, preview) = try await papers.save(
                body.request, replacing: body.replacing, actor: try context.requireIdentity().account.id.rawValue
            )
            let stored = try await papers.store.papers.papers(of: record.id)
            return EditedResponse(status: .created, response: AssemblyBody(assembly: AssemblyView(record, papers: stored), report: preview.result.report))
        }
        api.get("papers") { _, _ in
            AssemblyList(assemblies: try await papers.store.papers.assemblies().map { AssemblyView($0) })
        }
        api.get("papers/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard let record = try await papers.store.papers.assembly(id: id) else {
                throw ExamError(.notFound, code: "not_found", message: "no assembly \(id)")
            }
            let report = try JSONDecoder().decode(ConformanceReport.self, from: Data(record.report.utf8))
            return AssemblyBody(assembly: AssemblyView(record, papers: try await papers.store.papers.papers(of: id)), report: report)
        }
        api.post("papers/{id}/seal") { _, context in
            let id = try context.parameters.require("id")
            let key = try await vault.unsealedKey()
            _ = try await papers.seal(id, bank: key, actor: try context.requireIdentity().account.id.rawValue)
            return try await view(id)
        }
        api.post("papers/{id}/discard") { _, context in
            let id = try context.parameters.require("id")
            try await papers.discard(id, actor: try context.requireIdentity().account.id.rawValue)
            return try await view(id)
        }
    }

    private func view(_ id: String) async throws -> AssemblyBody {
        guard let record = try await papers.store.papers.assembly(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no assembly \(id)")
        }
        return AssemblyBody(assembly: AssemblyView(record, papers: try await papers.store.papers.papers(of: id)), report: nil)
    }

}
