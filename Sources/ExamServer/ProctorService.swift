import Accounts
import Audit
import Crypto
import Delivery
import Documents
import ExamCore
import Foundation
import NIOConcurrencyHelpers
import Storage

/// Invigilation and supervision of live sittings: who may watch which rooms, the dashboard, the
/// event feed, the coverage audit, webcam snapshots and the files candidates hand in.
struct ProctorService: Sendable {
    let runtime: DeliveryRuntime
    var store: Store { runtime.store }
    private let state = NIOLockedValueBox(State())

    private struct State {
        /// When each candidate's last snapshot was accepted (a client may not flood the store).
        var lastSnapshot: [String: Date] = [:]
        /// Viewers whose sight of a sitting's snapshots has been recorded (once per viewer and sitting).
        var viewed: Set<String> = []
    }

    init(runtime: DeliveryRuntime) { self.runtime = runtime }

    /// What a staff member may do in a sitting.
    enum Viewer: Sendable, Equatable {
        /// 考务管理员: every room, every action.
        case admin
        /// 监考员/考评员 named on rooms of this sitting: those rooms, their candidates.
        case invigilator(rooms: Set<String>)
        /// 督导员 of this sitting: every room, read-only, plus notes.
        case supervisor

        var role: String {
            switch self {
            case .admin: "admin"
            case .invigilator: "invigilator"
            case .supervisor: "supervisor"
            }
        }

        var canAct: Bool { self != .supervisor }

        func sees(room: String) -> Bool {
            if case .invigilator(let rooms) = self { return rooms.contains(room) }
            return true
        }
    }

    static let notYours = ExamError(.forbidden, code: "not_your_sitting", message: "你不是本场次的监考或督导人员 (you are not on this sitting's staff)")
    static let readOnly = ExamError(.forbidden, code: "read_only", message: "督导员只能查看和记录，不能操作考生 (supervisors watch and take notes only)")

    /// The viewer's standing in a sitting. - Throws: `not_found`, `not_your_sitting`.
    func viewer(_ account: Account, sitting: SittingRecord) throws -> Viewer {
        if account.roles.contains(.examAdmin) { return .admin }
        let rooms = Set(sitting.plan.rooms.filter { $0.staff.contains(account.id) }.map(\.name))
        if account.roles.contains(.examiner), !rooms.isEmpty { return .invigilator(rooms: rooms) }
        if account.roles.contains(.supervisor), sitting.plan.supervisors.contains(account.id) { return .supervisor }
        throw Self.notYours
    }

    func record(_ id: String) async throws -> SittingRecord {
        guard let record = try await store.sittings.sitting(id: id), record.status == .published else {
            throw ExamError(.notFound, code: "not_found", message: "没有已发布的场次 \(id) (no published sitting \(id))")
        }
        return record
    }

    /// The live sitting and the viewer's standing, for an action: supervisors are refused, and an
    /// invigilator may act only on candidates of their rooms (`candidates`, when given).
    func acting(_ account: Account, sitting id: String, on candidates: [String] = []) async throws -> (LiveSitting, Viewer) {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        guard viewer.canAct else { throw Self.readOnly }
        let live = try await runtime.sitting(id)
        for candidate in candidates {
            guard let seat = live.seats[candidate] else { throw LiveSitting.unknownCandidate }
            guard viewer.sees(room: seat.room) else {
                throw ExamError(.forbidden, code: "not_your_room", message: "该考生不在你监考的考场 (the candidate is not in your room)")
            }
        }
        return (live, viewer)
    }

    /// The candidates of a room the viewer may act on. - Throws: `unknown_room`, `not_your_room`.
    func room(_ name: String, of live: LiveSitting, viewer: Viewer) throws -> [String] {
        let candidates = live.order.filter { live.seats[$0]?.room == name }
        guard live.record.plan.rooms.contains(where: { $0.name == name }) else {
            throw ExamError.invalid("unknown_room", "本场次没有考场 \(name) (no such room)")
        }
        guard viewer.sees(room: name) else {
            throw ExamError(.forbidden, code: "not_your_room", message: "你不是该考场的监考员 (not your room)")
        }
        return candidates
    }

    // MARK: Dashboard

    struct Dashboard: Sendable, Codable {
        struct Sitting: Sendable, Codable {
            var id: String
            var title: String
            var part: String
            var venue: String
            var scheduledStart: Date
            var startedAt: Date?
            var durationMinutes: Int
            var lateEntryCutoff: Date
            var phase: String
            var startProblem: String?
        }
        struct ViewerInfo: Sendable, Codable {
            var role: String
            var canAct: Bool
            var rooms: [String]
        }
        struct Row: Sendable, Codable {
            var candidate: BoardRow
            var incidents: Int
            var snapshot: SnapshotInfo?
            var misconduct: [String]
        }
        struct Room: Sendable, Codable {
            var name: String
            var staff: [String]
            var candidates: [Row]
        }

        var sitting: Sitting
        var viewer: ViewerInfo
        var serverTime: Date
        var policy: ServerMessage.Proctoring
        var coverageGapSeconds: Int
        var rooms: [Room]
        /// Staff accounts' display names (for the feed's actors, notes' authors, decisions).
        var staff: [String: String]
    }

    /// Kinds counted as incidents on the grid: what the server or staff recorded about a
    /// candidate, and the browser events that are never innocent.
    static let incidentKinds: Set<String> = [
        "second_login", "late_entry_refused", "rule_warning", "rule_incident", "address_changed", "device_changed",
        "irregularity", "misconduct", "camera_denied", "camera_missing",
    ]

    func dashboard(_ id: String, by account: Account) async throws -> Dashboard {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        let live = try await runtime.sitting(id)
        let now = runtime.clock.now()
        let rows = await live.board(at: now)
        let ledger = await live.ledger
        let counts = try await store.proctoring.eventCounts(id, source: nil)
        let latest = try await store.proctoring.latestSnapshots(id)
        let decisions = Dictionary(grouping: try await store.proctoring.misconduct(id), by: \.candidate)
        let accounts = try await store.accounts.list().filter { $0.roles.contains { $0.isStaff } }
        let names = Dictionary(accounts.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let rooms = record.plan.rooms.filter { viewer.sees(room: $0.name) }.map { room in
            Dashboard.Room(
                name: room.name, staff: room.staff.map { names[$0] ?? $0.rawValue },
                candidates: rows.filter { $0.room == room.name }.map { row in
                    Dashboard.Row(
                        candidate: row,
                        incidents: (counts[row.id] ?? [:]).filter { Self.incidentKinds.contains($0.key) }.values.reduce(0, +),
                        snapshot: latest[row.id], misconduct: (decisions[row.id] ?? []).map(\.tier.rawValue)
                    )
                }
            )
        }
        let status = await live.status()
        return Dashboard(
            sitting: .init(
                id: id, title: live.title, part: record.part.rawValue, venue: record.venue, scheduledStart: record.startsAt, startedAt: ledger.start,
                durationMinutes: record.durationMinutes, lateEntryCutoff: ledger.lateEntryCutoff, phase: await live.phase(at: now), startProblem: status.startProblem
            ),
            viewer: .init(role: viewer.role, canAct: viewer.canAct, rooms: record.plan.rooms.map(\.name).filter(viewer.sees(room:))),
            serverTime: now, policy: runtime.proctoringInfo, coverageGapSeconds: runtime.policy.coverageGapSeconds, rooms: rooms,
            staff: Dictionary(accounts.map { ($0.id.rawValue, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        )
    }

    struct FeedEvent: Sendable, Codable {
        var id: Int64
        var candidate: String?
        var name: String?
        var room: String?
        var seat: Int?
        var kind: String
        var detail: String?
        var source: String
        var actor: String?
        var at: Date
    }

    /// Events after `after` the viewer may see (an invigilator: their rooms' candidates and sitting-wide ones).
    func feed(_ id: String, after: Int64, by account: Account) async throws -> (events: [FeedEvent], last: Int64) {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        let live = try await runtime.sitting(id)
        let events = try await store.proctoring.feed(id, after: after, limit: 500)
        let visible = events.compactMap { event -> FeedEvent? in
            let seat = event.candidate.flatMap { live.seats[$0] }
            if let seat, !viewer.sees(room: seat.room) { return nil }
            return FeedEvent(
                id: event.id, candidate: event.candidate, name: seat?.name, room: seat?.room, seat: seat?.seat, kind: event.kind, detail: event.detail,
                source: event.source, actor: event.actor, at: event.at
            )
        }
        return (visible, events.last?.id ?? after)
    }

    // MARK: Coverage audit

    struct Coverage: Sendable, Codable {
        struct Candidate: Sendable, Codable {
            var id: String
            var name: String
            var room: String
            var seat: Int
            var from: Date
            var to: Date
            var snapshots: Int
            var covered: Bool
            var longestGapSeconds: Int
            var gaps: [CoverageAudit.Gap]
            var cameraIncidents: Int
        }
        var sitting: String
        var coverageGapSeconds: Int
        var snapshotIntervalSeconds: Int
        var checkedAt: Date
        var candidates: [Candidate]
        var uncovered: Int
    }

    /// Every candidate who entered: the gaps in their snapshots longer than the policy allows
    /// (from entering to the first, between two, from the last to the hand-in or now).
    func coverage(_ id: String, by account: Account) async throws -> Coverage {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        let live = try await runtime.sitting(id)
        let now = runtime.clock.now()
        let start = await live.ledger.start
        let snapshots = Dictionary(grouping: try await store.proctoring.snapshots(id, candidate: nil), by: \.candidate)
        let counts = try await store.proctoring.eventCounts(id, source: "client")
        let gapLimit = TimeInterval(runtime.policy.coverageGapSeconds)
        var rows: [Coverage.Candidate] = []
        if let start {
            for stored in try await store.delivery.attempts(id) {
                guard let entered = stored.firstConnectedAt, let seat = live.seats[stored.candidate], viewer.sees(room: seat.room) else { continue }
                let from = max(start, entered)
                let to = max(from, stored.attempt.handedInAt ?? now)
                let taken = (snapshots[stored.candidate] ?? []).map(\.takenAt)
                let gaps = CoverageAudit.gaps(snapshots: taken, window: from...to, maxGap: gapLimit)
                let camera = (counts[stored.candidate]?["camera_denied"] ?? 0) + (counts[stored.candidate]?["camera_missing"] ?? 0)
                rows.append(.init(
                    id: stored.candidate, name: seat.name, room: seat.room, seat: seat.seat, from: from, to: to, snapshots: taken.filter((from...to).contains).count,
                    covered: gaps.isEmpty, longestGapSeconds: gaps.map(\.seconds).max() ?? 0, gaps: gaps, cameraIncidents: camera
                ))
            }
        }
        rows.sort { ($0.covered ? 1 : 0, $0.room, $0.seat) < ($1.covered ? 1 : 0, $1.room, $1.seat) }
        return Coverage(
            sitting: id, coverageGapSeconds: runtime.policy.coverageGapSeconds, snapshotIntervalSeconds: runtime.policy.snapshotIntervalSeconds,
            checkedAt: now, candidates: rows, uncovered: rows.filter { !$0.covered }.count
        )
    }

    func coverageTable(_ coverage: Coverage) -> Table {
        Table(
            title: "监考画面覆盖审计",
            headers: ["考场", "座号", "姓名", "入场/开考", "交卷/检查时间", "抓拍张数", "覆盖完整", "最长间隔(秒)", "间隔", "摄像头异常"],
            rows: coverage.candidates.map { row in
                [
                    .init(row.room), .init(row.seat), .init(row.name), .init(CalendarDate.minute(row.from)), .init(CalendarDate.minute(row.to)),
                    .init(row.snapshots), .init(row.covered ? "是" : "否"), .init(row.longestGapSeconds),
                    .init(row.gaps.map { "\(CalendarDate.minute($0.from))–\(CalendarDate.minute($0.to)) \($0.seconds)s" }.joined(separator: "; ")),
                    .init(row.cameraIncidents),
                ]
            }
        )
    }

    // MARK: Snapshots

    /// Stores a candidate's webcam snapshot, sealed. - Throws: `not_sitting` (409), `too_soon` (429),
    /// `unsupported_type`/`type_mismatch` (415), `too_large` (413), `empty_file`.
    func storeSnapshot(_ data: Data, declared: String?, sitting id: String, candidate: AccountID) async throws -> SnapshotInfo {
        let live = try await runtime.sitting(id)
        guard await live.maySnapshot(candidate.rawValue) else {
            throw ExamError(.conflict, code: "not_sitting", message: "你当前不在本场次考试中 (you are not sitting this exam now)")
        }
        guard !data.isEmpty else { throw ExamError.invalid("empty_file", "图片为空 (the image is empty)") }
        guard data.count <= runtime.policy.snapshotMaxBytes else {
            throw ExamError(.tooLarge, code: "too_large", message: "抓拍图片不能超过 \(runtime.policy.snapshotMaxBytes >> 10) KB (at most \(runtime.policy.snapshotMaxBytes >> 10) KiB)")
        }
        guard let declared, EvidenceType(declared: declared) == .jpeg else {
            throw ExamError(.unsupportedMediaType, code: "unsupported_type", message: "抓拍须为 JPEG 图片 (Content-Type must be image/jpeg)")
        }
        guard EvidenceType.sniff(data) == .jpeg else {
            throw ExamError(.unsupportedMediaType, code: "type_mismatch", message: "内容不是 JPEG 图片 (the content is not a JPEG image)")
        }
        let now = runtime.clock.now()
        let key = "\(id)|\(candidate.rawValue)"
        let minimum = TimeInterval(runtime.policy.snapshotIntervalSeconds) / 2
        let accepted = state.withLockedValue { state in
            if let last = state.lastSnapshot[key], now.timeIntervalSince(last) < minimum { return false }
            state.lastSnapshot[key] = now
            return true
        }
        guard accepted else {
            throw ExamError(.throttled, code: "too_soon", message: "抓拍过于频繁 (one snapshot per \(Int(minimum)) s at most)")
        }
        let sealed = try runtime.personalKey.seal(data, id: "snapshot:\(id)", owner: candidate.rawValue)
        let snapshotID = try await store.proctoring.storeSnapshot(
            sitting: id, candidate: candidate.rawValue, takenAt: now, bytes: data.count, sealed: .init(wrappedKey: sealed.wrappedKey, box: sealed.box)
        )
        return SnapshotInfo(id: snapshotID, candidate: candidate.rawValue, takenAt: now, bytes: data.count)
    }

    /// A snapshot's image for staff of its room; the first sight of a sitting's snapshots by each viewer is audited.
    func snapshotImage(_ snapshotID: Int64, sitting id: String, by account: Account) async throws -> Data {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        guard let found = try await store.proctoring.snapshot(id: snapshotID), found.sitting == id else {
            throw ExamError(.notFound, code: "not_found", message: "没有该抓拍 (no such snapshot)")
        }
        let live = try await runtime.sitting(id)
        guard let seat = live.seats[found.info.candidate], viewer.sees(room: seat.room) else { throw Self.notYours }
        let first = state.withLockedValue { $0.viewed.insert("\(account.id.rawValue)|\(id)").inserted }
        if first {
            try await store.audit.append(AuditEvent(
                actor: account.id.rawValue, action: "proctor.snapshots_viewed", subject: "sitting:\(id)", payload: ["role": .string(viewer.role)]
            ))
        }
        return try runtime.personalKey.open(.init(box: found.sealed.box, wrappedKey: found.sealed.wrappedKey), id: "snapshot:\(id)", owner: found.info.candidate)
    }

    func snapshots(_ id: String, candidate: String, by account: Account) async throws -> [SnapshotInfo] {
        let record = try await record(id)
        let viewer = try viewer(account, sitting: record)
        let live = try await runtime.sitting(id)
        guard let seat = live.seats[candidate] else { throw LiveSitting.unknownCandidate }
        guard viewer.sees(room: seat.room) else { throw Self.notYours }
        return try await store.proctoring.snapshots(id, candidate: candidate)
    }

    // MARK: Answer files

    /// Stores a file a candidate hands in for a practical task, sealed; the answer then names its id.
    func storeFile(_ data: Data, declared: String?, name: String?, item: String, sitting id: String, candidate: AccountID) async throws -> AnswerFileInfo {
        let live = try await runtime.sitting(id)
        try await live.mayUpload(candidate.rawValue, item: item)
        let type = try AnswerFileType.check(data, declared: declared)
        let existing = try await store.proctoring.files(id, candidate: candidate.rawValue).filter { $0.item == item }
        guard existing.count < 20 else {
            throw ExamError(.conflict, code: "too_many_files", message: "每题最多上传20次 (at most 20 uploads per item)")
        }
        var generator = SystemRandomNumberGenerator()
        let fileID = "F-" + (0..<10).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString.uppercased()
        let info = AnswerFileInfo(
            id: fileID, sitting: id, candidate: candidate.rawValue, item: item, name: AnswerFileType.cleanName(name, type: type), mediaType: type.rawValue,
            bytes: data.count, sha256: SHA256.hash(data: data).hexString, uploadedAt: runtime.clock.now()
        )
        let sealed = try runtime.personalKey.seal(data, id: "answer-file:\(fileID)", owner: candidate.rawValue)
        try await store.proctoring.storeFile(info, sealed: .init(wrappedKey: sealed.wrappedKey, box: sealed.box))
        await live.registerUpload(candidate.rawValue, id: fileID, item: item)
        return info
    }

    /// One of the candidate's own files.
    func file(_ fileID: String, sitting id: String, candidate: AccountID) async throws -> (AnswerFileInfo, Data) {
        guard let found = try await store.proctoring.file(id: fileID), found.info.sitting == id, found.info.candidate == candidate.rawValue else {
            throw ExamError(.notFound, code: "not_found", message: "没有该文件 (no such file)")
        }
        let data = try runtime.personalKey.open(.init(box: found.sealed.box, wrappedKey: found.sealed.wrappedKey), id: "answer-file:\(fileID)", owner: candidate.rawValue)
        return (found.info, data)
    }
}
