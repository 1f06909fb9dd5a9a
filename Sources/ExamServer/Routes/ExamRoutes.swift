import ExamCore
import ExamStandards
import Hummingbird

struct ExamRoutes {
    let catalog: StandardCatalog

    struct LevelView: Codable {
        var level: String
        var directions: [String]
    }

    struct StandardSummary: Codable {
        var code: String
        var name: String
        var levels: [LevelView]
    }

    struct StandardList: ResponseEncodable {
        var standards: [StandardSummary]
    }

    struct StandardDocument: ResponseEncodable {
        var standard: OccupationStandard
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")
        api.get("exams") { _, _ in
            StandardList(standards: catalog.standards.map(Self.summary))
        }
        api.get("exams/{code}") { _, context in
            let code = OccupationCode(rawValue: try context.parameters.require("code"))
            guard let standard = catalog.standard(code) else {
                throw ExamError(.notFound, code: "not_found", message: "no occupation standard with this code")
            }
            return StandardDocument(standard: standard)
        }
    }

    static func summary(_ standard: OccupationStandard) -> StandardSummary {
        StandardSummary(
            code: standard.code.rawValue, name: standard.name,
            levels: standard.levels.map { LevelView(level: $0.level.rawValue, directions: $0.directions.map(\.name)) }
        )
    }
}
