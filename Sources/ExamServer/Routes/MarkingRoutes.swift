import Accounts
import Documents
import ExamCore
import Foundation
import Hummingbird
import ItemBank
import Scoring
import Storage

/// Marking, results, re-checks and statistics over HTTP (docs/MARKING.md).
struct MarkingRoutes {
    let runtime: DeliveryRuntime
    var marking: MarkingService { MarkingService(runtime: runtime) }
    var results: ResultsService { ResultsService(runtime: runtime) }
    var statistics: StatisticsService { StatisticsService(runtime: runtime) }

    struct QueueResponse: ResponseEncodable { var assignments: [MarkingService.QueueEntry] }
    struct SheetResponse: ResponseEncodable { var sheet: MarkingService.SheetView }
    struct BatchResponse: ResponseEncodable { var batch: ResultsService.BatchView }
    struct BatchesResponse: ResponseEncodable { var batches: [ResultsService.BatchView] }
    struct MineResponse: ResponseEncodable { var results: [ResultsService.MyResult] }
    struct RecheckResponse: ResponseEncodable { var recheck: RecheckRecord }
    struct RechecksResponse: ResponseEncodable { var rechecks: [ResultsService.RecheckView] }

    private func identity(_ context: AppRequestContext) throws -> AccountID { try context.requireIdentity().account.id }

    private static func recheckID(_ context: AppRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw ExamError(.notFound, code: "not_found", message: "没有该复核申请 (no such re-check)") }
        return id
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")

        // Examiners.
        api.get("marking/queue") { _, context in
            QueueResponse(assignments: try await marking.queue(for: try identity(context)))
        }
        api.get("marking/{code}") { _, context in
            try await marking.submission(try context.parameters.require("code"), examiner: try identity(context))
        }
        api.put("marking/{code}/sheet") { request, context in
            let sheet = try await request.decodeJSON(as: MarkSheet.self, context: context)
            return SheetResponse(sheet: try await marking.save(try context.parameters.require("code"), sheet: sheet, examiner: try identity(context)))
        }
        api.post("marking/{code}/sign") { request, context in
            // The body is optional: without one (or with an empty sheet) the saved draft is signed.
            let given = request.headers[.contentType] == nil ? nil : try await request.decodeJSON(as: MarkSheet.self, context: context)
            let sheet = given == MarkSheet() ? nil : given
            return try await marking.sign(try context.parameters.require("code"), sheet: sheet, examiner: try identity(context))
        }
        api.get("marking/{code}/files/{file}") { _, context in
            let found = try await marking.file(try context.parameters.require("code"), file: try context.parameters.require("file"), examiner: try identity(context))
            var headers = HTTPFields()
            headers[.contentType] = found.type
            headers[.contentDisposition] = AdministrationRoutes.disposition("attachment", found.name)
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: found.data)))
        }
        api.get("sittings/{id}/marking") { _, context in
            try await marking.progress(try context.parameters.require("id"), caller: try identity(context))
        }

        // Statistics.
        api.get("sittings/{id}/statistics") { _, context in
            try await statistics.report(try context.parameters.require("id"))
        }
        api.get("sittings/{id}/statistics/export") { request, context in
            let report = try await statistics.report(try context.parameters.require("id"))
            let which = request.uri.queryParameters["table"].map(String.init) ?? "items"
            guard let table = Self.table(report, which) else {
                throw ExamError.invalid("bad_table", "table 须为 items、marking 或 examiners (table is items, marking or examiners)")
            }
            return try AdministrationRoutes.download(table, request: request, name: "\(table.title)-\(report.sitting)")
        }

        // Batches and results.
        api.post("batches") { request, context in
            let input = try await request.decodeJSON(as: ResultsService.BatchInput.self, context: context)
            return EditedResponse(status: .created, response: BatchResponse(batch: try await results.create(input, actor: try identity(context).rawValue)))
        }
        api.get("batches") { _, _ in
            var views: [ResultsService.BatchView] = []
            for batch in try await runtime.store.results.batches() { views.append(try await results.view(batch)) }
            return BatchesResponse(batches: views)
        }
        api.get("batches/{id}/results") { _, context in
            try await results.results(try context.parameters.require("id"))
        }
        api.get("batches/{id}/results/export") { request, context in
            let view = try await results.results(try context.parameters.require("id"))
            return try AdministrationRoutes.download(Self.table(view), request: request, name: "成绩-\(view.batch.id)")
        }
        api.post("batches/{id}/publish") { _, context in
            BatchResponse(batch: try await results.publish(try context.parameters.require("id"), actor: try identity(context).rawValue))
        }
        api.get("batches/{id}/certification") { _, context in
            try await results.certification(try context.parameters.require("id"))
        }
        api.get("batches/{id}/rechecks") { _, context in
            RechecksResponse(rechecks: try await results.rechecks(try context.parameters.require("id")))
        }
        api.post("rechecks/{id}/decision") { request, context in
            let input = try await request.decodeJSON(as: ResultsService.DecisionInput.self, context: context)
            return RecheckResponse(recheck: try await results.decide(try Self.recheckID(context), input, actor: try identity(context).rawValue))
        }

        // Candidates.
        api.get("results/mine") { _, context in
            MineResponse(results: try await results.mine(try identity(context)))
        }
        api.post("results/mine/{batch}/rechecks") { request, context in
            let input = try await request.decodeJSON(as: ResultsService.RecheckInput.self, context: context)
            let recheck = try await results.request(try context.parameters.require("batch"), input, candidate: try identity(context))
            return EditedResponse(status: .created, response: RecheckResponse(recheck: recheck))
        }
    }

    // MARK: - Tables

    static func cell(_ value: Double?) -> Table.Cell { value.map { .number((($0 * 10000).rounded()) / 10000) } ?? .text("") }

    static func status(_ part: PartResult) -> String {
        switch part.status {
        case .scored: "已评"
        case .absent: "缺考"
        case .void: "成绩无效"
        case .pending: "待评"
        }
    }

    static func table(_ view: ResultsService.ResultsView) -> Table {
        Table(
            title: "成绩",
            headers: ["姓名", "理论知识状态", "理论知识成绩", "理论知识合格", "专业能力状态", "专业能力成绩", "专业能力合格", "总体合格", "违纪处理", "版本"],
            rows: view.results.map { row in
                let misconduct = (row.theory.misconduct + row.ability.misconduct).map { "\($0.tier.chineseName)：\($0.reason)" }
                return [
                    .init(row.name), .init(status(row.theory)), cell(row.theory.score), .init(row.passedTheory ? "合格" : "不合格"),
                    .init(status(row.ability)), cell(row.ability.score), .init(row.passedAbility ? "合格" : "不合格"), .init(row.passed ? "合格" : "不合格"),
                    .init(Array(Set(misconduct)).sorted().joined(separator: "；")), .init(row.revision ?? 0),
                ]
            }
        )
    }

    static func table(_ report: StatisticsService.Report, _ which: String) -> Table? {
        switch which {
        case "items":
            return Table(
                title: "试题分析",
                headers: ["试卷", "题号", "试题", "版本", "题型", "分值", "作答人数", "难度p", "点二列相关", "区分度(校正)", "选项分布", "答案", "标记", "KR-20"],
                rows: report.papers.flatMap { paper in
                    paper.items.map { item in
                        [
                            .init(paper.paper), .init(item.key), .init(item.item), .init(item.version), .init(item.type.chineseName), .number(item.points),
                            .init(item.responses), cell(item.p), cell(item.pointBiserial), cell(item.discrimination),
                            .init((item.distractors ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")),
                            .init((item.answerKey ?? []).joined(separator: "")), .init(item.flags.joined(separator: " ")), cell(paper.kr20),
                        ]
                    }
                }
            )
        case "marking":
            return Table(
                title: "评分一致性",
                headers: ["试题", "版本", "分值", "双评份数", "ICC(1,1)", "平均差(一评−二评)", "仲裁率"],
                rows: report.marking.tasks.map { task in
                    [.init(task.item), .init(task.version), .number(task.points), .init(task.pairs), cell(task.icc), cell(task.meanDifference),
                     cell(report.marking.adjudicationRate)]
                }
            )
        case "examiners":
            return Table(
                title: "考评员宽严",
                headers: ["考评员", "评阅份数", "宽严度(本人−另一评)"],
                rows: report.marking.examiners.map { [.init($0.name), .init($0.marks), cell($0.severity)] }
            )
        default:
            return nil
        }
    }
}

extension MarkingService.SubmissionView: ResponseEncodable {}
extension MarkingService.Signed: ResponseEncodable {}
extension MarkingService.Progress: ResponseEncodable {}
extension StatisticsService.Report: ResponseEncodable {}
extension ResultsService.ResultsView: ResponseEncodable {}
extension ResultsService.Readiness: ResponseEncodable {}
