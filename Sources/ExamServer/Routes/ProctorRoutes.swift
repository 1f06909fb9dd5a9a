import Accounts
import Audit
import Delivery
import Documents
import ExamCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// The invigilators' and supervisors' side of a live sitting (docs/DELIVERY.md "Invigilation"):
/// the dashboard, the event feed, actions on candidates, notes and the coverage audit; and the
/// candidate's uploads (webcam snapshots, files for practical tasks).
struct ProctorRoutes {
    let proctor: ProctorService
    var runtime: DeliveryRuntime { proctor.runtime }
    var store: Store { proctor.store }

    struct ExtendRequest: Decodable {
        var seconds: Int
        var candidate: String?
        var room: String?
        var reason: String
    }
    struct WarnRequest: Decodable {
        var candidate: String
        var text: String
    }
    struct PauseRequest: Decodable {
        var candidate: String?
        var room: String?
        var reason: String?
    }
    struct AdmitRequest: Decodable {
        var candidate: String
        var reason: String
    }
    struct MisconductRequest: Decodable {
        var candidate: String
        var tier: String
        var points: Int?
        var banYears: Int?
        var reason: String
        var events: [Int64]?
        var snapshots: [Int64]?
        var terminate: Bool?
    }
    struct IrregularityRequest: Decodable {
        var candidate: String?
        var text: String
    }
    struct NoteRequest: Decodable {
        var candidate: String?
        var text: String
    }
    struct Done: ResponseEncodable {
        var ok = true
        /// Candidates whose time the action changed (everyone not handed in, present or not).
        var affected: Int?
        /// Of those, how many are connected now (they see it at once).
        var connected: Int?
        var id: Int64?
        /// A warning: whether it reached the candidate now (otherwise on their next connection).
        var delivered: Bool?
    }
    struct FeedResponse: ResponseEncodable {
        var events: [ProctorService.FeedEvent]
        var last: Int64
    }
    struct DashboardResponse: ResponseEncodable { var dashboard: ProctorService.Dashboard }
    struct CoverageResponse: ResponseEncodable { var coverage: ProctorService.Coverage }
    struct NotesResponse: ResponseEncodable { var notes: [SupervisionNote] }
    struct MisconductResponse: ResponseEncodable { var decisions: [MisconductRecord] }
    struct DecisionResponse: ResponseEncodable { var decision: MisconductRecord }
    struct SnapshotResponse: ResponseEncodable {
        var snapshot: SnapshotInfo
        var nextInSeconds: Int
    }
    struct SnapshotsResponse: ResponseEncodable { var snapshots: [SnapshotInfo] }
    struct FileResponse: ResponseEncodable { var file: AnswerFileInfo }
    struct FilesResponse: ResponseEncodable { var files: [AnswerFileInfo] }
    struct SittingsResponse: ResponseEncodable { var sittings: [Watchable] }
    struct Watchable: Codable, Sendable {
        var id: String
        var occupation: String
        var level: String
        var direction: String?
        var part: String
        var venue: String
        var title: String
        var startsAt: Date
        var durationMinutes: Int
        var role: String
        var rooms: [String]
    }

    static func text(_ value: String?, _ code: String, _ what: String, max: Int = 500) throws -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= max else { throw ExamError.invalid(code, "请填写\(what)（1–\(max)字）(\(code): 1 to \(max) characters)") }
        return text
    }

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("api/v1")

        api.get("proctor/sittings") { _, context in
            let account = try context.requireIdentity().account
            var watchable: [Watchable] = []
            for record in try await store.sittings.sittings() where record.status == .published {
                guard let viewer = try? proctor.viewer(account, sitting: record) else { continue }
                watchable.append(Watchable(
                    id: record.id, occupation: record.occupation.rawValue, level: record.level.rawValue, direction: record.direction, part: record.part.rawValue,
                    venue: record.venue, title: runtime.title(of: record), startsAt: record.startsAt, durationMinutes: record.durationMinutes, role: viewer.role,
                    rooms: record.plan.rooms.map(\.name).filter(viewer.sees(room:))
                ))
            }
            return SittingsResponse(sittings: watchable.sorted { $0.startsAt > $1.startsAt })
        }
        api.get("sittings/{id}/live") { _, context in
            try await runtime.sitting(try context.parameters.require("id")).status()
        }
        api.get("sittings/{id}/proctor") { _, context in
            DashboardResponse(dashboard: try await proctor.dashboard(try context.parameters.require("id"), by: try context.requireIdentity().account))
        }
        api.get("sittings/{id}/events") { request, context in
            let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) } ?? 0
            let feed = try await proctor.feed(try context.parameters.require("id"), after: max(0, after), by: try context.requireIdentity().account)
            return FeedResponse(events: feed.events, last: feed.last)
        }

        // MARK: Actions (audited, pushed to the candidate at once)
        api.post("sittings/{id}/extend") { request, context in
            let body = try await request.decodeJSON(as: ExtendRequest.self, context: context)
            guard (1...7200).contains(body.seconds) else { throw ExamError.invalid("bad_extension", "延长时间须为1–7200秒 (1 to 7,200 seconds)") }
            let reason = try Self.text(body.reason, "reason_required", "延长原因", max: 200)
            let actor = try context.requireIdentity().account
            let (live, viewer) = try await proctor.acting(actor, sitting: try context.parameters.require("id"), on: body.candidate.map { [$0] } ?? [])
            guard await live.isStarted else { throw LiveSitting.notStarted }
            if let room = body.room {
                let candidates = try proctor.room(room, of: live, viewer: viewer)
                try await live.extend(seconds: body.seconds, candidates: candidates, reason: reason, actor: actor.id.rawValue, scope: "room:\(room)")
            } else {
                if body.candidate == nil, viewer != .admin { throw Self.wholeSitting }
                try await live.extend(seconds: body.seconds, candidate: body.candidate, reason: reason, actor: actor.id.rawValue)
            }
            return try await live.status()
        }
        api.post("sittings/{id}/warn") { request, context in
            let body = try await request.decodeJSON(as: WarnRequest.self, context: context)
            let text = try Self.text(body.text, "bad_warning", "提醒内容", max: 200)
            let actor = try context.requireIdentity().account
            let (live, _) = try await proctor.acting(actor, sitting: try context.parameters.require("id"), on: [body.candidate])
            return Done(delivered: try await live.warn(candidate: body.candidate, text: text, actor: actor.id.rawValue))
        }
        api.post("sittings/{id}/pause") { request, context in
            let body = try await request.decodeJSON(as: PauseRequest.self, context: context)
            let reason = try Self.text(body.reason, "reason_required", "暂停原因", max: 200)
            return try await pauseOrResume(body, reason: reason, context: context)
        }
        api.post("sittings/{id}/resume") { request, context in
            try await pauseOrResume(try await request.decodeJSON(as: PauseRequest.self, context: context), reason: nil, context: context)
        }
        api.post("sittings/{id}/admit") { request, context in
            let body = try await request.decodeJSON(as: AdmitRequest.self, context: context)
            let reason = try Self.text(body.reason, "reason_required", "准许迟到入场的原因", max: 200)
            let actor = try context.requireIdentity().account
            let (live, _) = try await proctor.acting(actor, sitting: try context.parameters.require("id"), on: [body.candidate])
            try await live.admitLate(body.candidate, reason: reason, actor: actor.id.rawValue)
            return Done()
        }
        api.post("sittings/{id}/misconduct") { request, context in
            let body = try await request.decodeJSON(as: MisconductRequest.self, context: context)
            guard let tier = MisconductTier(rawValue: body.tier) else {
                throw ExamError.invalid("bad_tier", "处理等级须为 \(MisconductTier.allCases.map(\.rawValue).joined(separator: "、")) (unknown tier)")
            }
            if tier == .deduction, !(1...100).contains(body.points ?? 0) { throw ExamError.invalid("bad_points", "扣分须为1–100分 (points 1 to 100)") }
            if tier == .ban, !(1...10).contains(body.banYears ?? 0) { throw ExamError.invalid("bad_ban", "禁考年限须为1–10年 (ban of 1 to 10 years)") }
            let reason = try Self.text(body.reason, "reason_required", "处理理由", max: 500)
            let id = try context.parameters.require("id")
            let actor = try context.requireIdentity().account
            let (live, _) = try await proctor.acting(actor, sitting: id, on: [body.candidate])
            let events = Array(Set(body.events ?? [])).sorted()
            let snapshots = Array(Set(body.snapshots ?? [])).sorted()
            guard events.count + snapshots.count <= 50 else { throw ExamError.invalid("bad_evidence", "证据最多50项 (at most 50 pieces of evidence)") }
            let found = try await store.proctoring.events(id, ids: events)
            guard found.count == events.count else { throw ExamError.invalid("bad_evidence", "证据中有不属于本场次的事件 (an event is not of this sitting)") }
            for snapshot in snapshots {
                guard let stored = try await store.proctoring.snapshot(id: snapshot), stored.sitting == id, stored.info.candidate == body.candidate else {
                    throw ExamError.invalid("bad_evidence", "证据中有不属于该考生的抓拍 (a snapshot is not this candidate's)")
                }
            }
            let decision = try await live.decide(
                candidate: body.candidate, tier: tier, points: tier == .deduction ? body.points : nil, banYears: tier == .ban ? body.banYears : nil,
                reason: reason, evidence: .init(events: events, snapshots: snapshots), terminate: body.terminate ?? false, actor: actor.id.rawValue
            )
            return EditedResponse(status: .created, response: DecisionResponse(decision: decision))
        }
        api.get("sittings/{id}/misconduct") { _, context in
            let id = try context.parameters.require("id")
            let viewer = try proctor.viewer(try context.requireIdentity().account, sitting: try await proctor.record(id))
            let live = try await runtime.sitting(id)
            return MisconductResponse(decisions: try await store.proctoring.misconduct(id).filter { live.seats[$0.candidate].map { viewer.sees(room: $0.room) } ?? false })
        }
        api.post("sittings/{id}/irregularities") { request, context in
            let body = try await request.decodeJSON(as: IrregularityRequest.self, context: context)
            let text = try Self.text(body.text, "text_required", "情况说明", max: 1000)
            let actor = try context.requireIdentity().account
            // Any invigilator may file one about the sitting as a whole (a power cut, a noise), or about a candidate of their room.
            let (live, _) = try await proctor.acting(actor, sitting: try context.parameters.require("id"), on: body.candidate.map { [$0] } ?? [])
            let id = try await live.fileIrregularity(candidate: body.candidate, text: text, actor: actor.id.rawValue)
            return EditedResponse(status: .created, response: Done(id: id))
        }

        // MARK: Supervisors' notes and the coverage audit
        api.get("sittings/{id}/notes") { _, context in
            let id = try context.parameters.require("id")
            _ = try proctor.viewer(try context.requireIdentity().account, sitting: try await proctor.record(id))
            return NotesResponse(notes: try await store.proctoring.notes(id))
        }
        api.post("sittings/{id}/notes") { request, context in
            let body = try await request.decodeJSON(as: NoteRequest.self, context: context)
            let text = try Self.text(body.text, "text_required", "督导记录", max: 2000)
            let id = try context.parameters.require("id")
            let account = try context.requireIdentity().account
            let record = try await proctor.record(id)
            guard try proctor.viewer(account, sitting: record) == .supervisor else {
                throw ExamError(.forbidden, code: "not_supervisor", message: "只有本场次的督导员可以填写督导记录 (only this sitting's supervisors)")
            }
            if let candidate = body.candidate, try await runtime.sitting(id).seats[candidate] == nil { throw LiveSitting.unknownCandidate }
            let note = SupervisionNote(sitting: id, candidate: body.candidate, author: account.id.rawValue, text: text, at: runtime.clock.now())
            let noteID = try await store.proctoring.addNote(note, audit: .init(
                actor: account.id.rawValue, action: "sitting.supervision_noted", subject: "sitting:\(id)",
                payload: ["candidate": body.candidate.map { .string($0) } ?? .null, "text": .string(text)]
            ))
            return EditedResponse(status: .created, response: Done(id: noteID))
        }
        api.get("sittings/{id}/coverage") { _, context in
            CoverageResponse(coverage: try await proctor.coverage(try context.parameters.require("id"), by: try context.requireIdentity().account))
        }
        api.get("sittings/{id}/coverage/export") { request, context in
            let coverage = try await proctor.coverage(try context.parameters.require("id"), by: try context.requireIdentity().account)
            return try AdministrationRoutes.download(proctor.coverageTable(coverage), request: request, name: "监考画面覆盖审计-\(coverage.sitting)")
        }

        // MARK: Snapshots
        api.get("sittings/{id}/snapshots") { request, context in
            guard let candidate = request.uri.queryParameters["candidate"].map(String.init) else {
                throw ExamError.invalid("candidate_required", "请指定考生 (candidate is required)")
            }
            return SnapshotsResponse(snapshots: try await proctor.snapshots(try context.parameters.require("id"), candidate: candidate, by: try context.requireIdentity().account))
        }
        api.get("sittings/{id}/snapshots/{snapshot}") { _, context in
            guard let snapshot = Int64(try context.parameters.require("snapshot")) else { throw ExamError(.notFound, code: "not_found", message: "没有该抓拍 (no such snapshot)") }
            let data = try await proctor.snapshotImage(snapshot, sitting: try context.parameters.require("id"), by: try context.requireIdentity().account)
            var headers = HTTPFields()
            headers[.contentType] = "image/jpeg"
            headers[.cacheControl] = "private, max-age=600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        api.post("sit/{id}/snapshot") { request, context in
            let candidate = try context.requireIdentity().account.id
            let id = try context.parameters.require("id")
            try await mustHold(candidate, id)
            let data = try await Self.body(request, limit: runtime.policy.snapshotMaxBytes)
            let info = try await proctor.storeSnapshot(data, declared: request.headers[.contentType], sitting: id, candidate: candidate)
            return EditedResponse(status: .created, response: SnapshotResponse(snapshot: info, nextInSeconds: runtime.policy.snapshotIntervalSeconds))
        }

        // MARK: Files for practical tasks
        api.post("sit/{id}/files") { request, context in
            let candidate = try context.requireIdentity().account.id
            let id = try context.parameters.require("id")
            try await mustHold(candidate, id)
            guard let item = request.uri.queryParameters["item"].map(String.init) else { throw ExamError.invalid("item_required", "请指定题号 (item is required)") }
            let data = try await Self.body(request, limit: AnswerFileType.maximumBytes)
            let name = request.uri.queryParameters["name"].map { String($0).removingPercentEncoding ?? String($0) }
            let info = try await proctor.storeFile(data, declared: request.headers[.contentType], name: name, item: item, sitting: id, candidate: candidate)
            return EditedResponse(status: .created, response: FileResponse(file: info))
        }
        api.get("sit/{id}/files") { _, context in
            let candidate = try context.requireIdentity().account.id
            let id = try context.parameters.require("id")
            try await mustHold(candidate, id)
            return FilesResponse(files: try await store.proctoring.files(id, candidate: candidate.rawValue))
        }
        api.get("sit/{id}/files/{file}") { _, context in
            let candidate = try context.requireIdentity().account.id
            let (info, data) = try await proctor.file(try context.parameters.require("file"), sitting: try context.parameters.require("id"), candidate: candidate)
            var headers = HTTPFields()
            headers[.contentType] = info.mediaType
            headers[.contentDisposition] = AdministrationRoutes.disposition("attachment", info.name)
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    static let wholeSitting = ExamError(.forbidden, code: "admin_only", message: "只有考务管理员可以对整个场次操作 (only the exam administrator acts on the whole sitting)")

    private func pauseOrResume(_ body: PauseRequest, reason: String?, context: AppRequestContext) async throws -> Done {
        let actor = try context.requireIdentity().account
        let (live, viewer) = try await proctor.acting(actor, sitting: try context.parameters.require("id"), on: body.candidate.map { [$0] } ?? [])
        let candidates: [String]?
        let scope: String
        if let candidate = body.candidate {
            candidates = [candidate]
            scope = "candidate:\(candidate)"
        } else if let room = body.room {
            candidates = try proctor.room(room, of: live, viewer: viewer)
            scope = "room:\(room)"
        } else {
            guard viewer == .admin else { throw Self.wholeSitting }
            candidates = nil
            scope = "sitting"
        }
        let affected = if let reason {
            try await live.pause(candidates, reason: reason, actor: actor.id.rawValue, scope: scope)
        } else {
            try await live.resume(candidates, actor: actor.id.rawValue, scope: scope)
        }
        let connected = await live.connectedCount(of: candidates)
        return Done(affected: affected, connected: connected)
    }

    /// The candidate holds an admission ticket for the sitting. - Throws: `not_your_sitting` (404).
    private func mustHold(_ candidate: AccountID, _ sitting: String) async throws {
        guard try await store.sittings.tickets(candidate: candidate).contains(where: { $0.sittingID == sitting }) else {
            throw ExamError(.notFound, code: "not_your_sitting", message: "你没有该场次的准考证 (no admission ticket for this sitting)")
        }
    }

    private static func body(_ request: Request, limit: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw ExamError(.tooLarge, code: "too_large", message: "文件不能超过 \(limit >> 10) KB (at most \(limit >> 10) KiB)")
        }
    }
}
