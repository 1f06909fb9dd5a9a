import Accounts
import Audit
import Delivery
import Documents
import ExamCore
import Foundation
import ItemBank
import Logging
import PaperAssembly
import ServiceLifecycle
import Storage

/// The live sittings of this node: loads a sitting when its candidates start to arrive (or after a
/// restart, every sitting still running), ticks them, beats the heartbeat from which downtime is
/// credited, and releases papers at the start.
public final class DeliveryRuntime: Sendable {
    let store: Store
    let clock: any WallClock
    let standards: [OccupationStandard]
    let vault: BankVault
    let personalKey: PersonalDataKey
    let writer: AnswerWriter
    /// Scores hand-ins once they are durable.
    let scorer: ScoringQueue
    let tickets = WebSocketTickets()
    /// How sittings are watched (`Exams/proctoring/policy.yaml`).
    let policy: ProctoringPolicy
    /// The part of the policy a candidate's client needs, sent in `welcome`.
    var proctoringInfo: ServerMessage.Proctoring {
        .init(snapshotIntervalSeconds: policy.snapshotIntervalSeconds, snapshotMaxBytes: policy.snapshotMaxBytes)
    }
    let logger: Logger
    private let registry = Registry()
    /// The node's name in the heartbeat table.
    static let node = "main"
    /// How often time is checked (start, deadlines) and the heartbeat written.
    static let tickInterval: Duration = .milliseconds(250)
    static let beatInterval: TimeInterval = 1
    /// A gap in the heartbeat longer than this is downtime to credit.
    static let downtimeThreshold: TimeInterval = 3

    public init(
        store: Store, clock: any WallClock, standards: [OccupationStandard], vault: BankVault, personalKey: PersonalDataKey,
        policy: ProctoringPolicy = .standard, logger: Logger
    ) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.standards = standards
        self.vault = vault
        self.personalKey = personalKey
        self.writer = AnswerWriter(store: store)
        self.scorer = ScoringQueue(store: store, clock: clock, logger: logger)
        self.logger = logger
    }

    actor Registry {
        var sittings: [String: LiveSitting] = [:]
        var loading: [String: Task<LiveSitting, any Error>] = [:]

        func get(_ id: String, load: @escaping @Sendable () async throws -> LiveSitting) async throws -> LiveSitting {
            if let sitting = sittings[id] { return sitting }
            if let task = loading[id] { return try await task.value }
            let task = Task { try await load() }
            loading[id] = task
            defer { loading[id] = nil }
            let sitting = try await task.value
            sittings[id] = sitting
            return sitting
        }

        func all() -> [LiveSitting] { Array(sittings.values) }
        func remove(_ id: String) { sittings[id] = nil }
    }

    /// The live sitting, loaded from storage on first use.
    func sitting(_ id: String) async throws -> LiveSitting {
        try await registry.get(id) { [self] in try await self.load(id) }
    }

    private func load(_ id: String) async throws -> LiveSitting {
        guard let record = try await store.sittings.sitting(id: id), record.status == .published else {
            throw ExamError(.notFound, code: "not_found", message: "no published sitting \(id)")
        }
        guard let spec = partRules(of: record) else {
            throw ExamError(.internalFailure, code: "no_standard", message: "no standard for sitting \(id)")
        }
        let ledger = TimeLedger(
            scheduledStart: record.startsAt, durationSeconds: record.durationMinutes * 60, lateEntrySeconds: spec.lateEntryMinutes * 60,
            earliestHandInSeconds: spec.earliestHandInMinutes * 60, entries: try await store.delivery.ledger(id)
        )
        var seats: [String: LiveSitting.Seat] = [:]
        var order: [String] = []
        for ticket in try await store.sittings.tickets(sitting: id) {
            let name = try await store.applications.identity(of: ticket.candidate)?.name ?? ticket.candidate.rawValue
            seats[ticket.candidate.rawValue] = .init(name: name, room: ticket.room, seat: ticket.seat)
        }
        for room in record.plan.rooms { order.append(contentsOf: room.candidates.map(\.rawValue)) }
        let live = LiveSitting(
            record: record, title: title(of: record), runtime: self, ledger: ledger, seats: seats, order: order.filter { seats[$0] != nil },
            stored: try await store.delivery.attempts(id)
        )
        await live.setScoringRules(spec.scoring)
        if await live.isStarted {
            try await live.restorePackages()
            await live.scoreMissing()
        }
        try await live.restoreProctoring()
        return live
    }

    /// The rules of a sitting's part in its standard.
    func partRules(of record: SittingRecord) -> PartRules? {
        standards.first { $0.code == record.occupation }?.levels.first { $0.level == record.level }?.parts[record.part]
    }

    /// What candidates and staff call a sitting: occupation, level, direction and part.
    func title(of record: SittingRecord) -> String {
        "\(examTitle(record.occupation, record.level, record.direction)) \(record.part.chineseName)"
    }

    /// An exam as people name it: occupation, level and direction.
    func examTitle(_ occupation: OccupationCode, _ level: Level, _ direction: String?) -> String {
        let standardName = standards.first { $0.code == occupation }?.name ?? occupation.rawValue
        return "\(standardName) \(level.rawValue)\(direction.map { "（\($0)）" } ?? "")"
    }

    /// The package of a paper for a sitting: the copy released earlier (sealed under this node's
    /// key), or opened now from the bank (custodians must have unsealed it) and kept so.
    func release(_ paperID: String, sitting: String) async throws -> PaperPackage {
        let label = "paper:\(paperID)"
        if let stored = try await store.delivery.released(paperID: paperID) {
            let data = try personalKey.open(.init(box: stored.box, wrappedKey: stored.wrappedKey), id: label, owner: sitting)
            return try JSONDecoder().decode(PaperPackage.self, from: data)
        }
        return try await prerelease(paperID, sitting: sitting, bank: try await vault.unsealedKey(), actor: "system")
    }

    /// Opens a paper from the bank for a sitting ahead of its start (custodians present) and keeps
    /// it sealed under this node's key for the start; audited as `paper.opened`.
    @discardableResult
    public func prerelease(_ paperID: String, sitting: String, bank: UnsealedBankKey, actor: String) async throws -> PaperPackage {
        let label = "paper:\(paperID)"
        let package = try await PaperService(store: store, standards: standards, blueprints: "").open(
            paperID, bank: bank, actor: actor, purpose: "sitting \(sitting)"
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let sealed = try personalKey.seal(try encoder.encode(package), id: label, owner: sitting)
        try await store.delivery.storeReleased(paperID: paperID, sitting: sitting, wrappedKey: sealed.wrappedKey, box: sealed.box, at: clock.now())
        return package
    }

    /// Names the sealed papers (forms) a sitting delivers, checked against the sitting; audited.
    /// - Throws: `bad_papers` listing every problem, `already_started`.
    public func assignPapers(_ id: String, _ papers: [String], actor: String) async throws {
        guard let sitting = try await store.sittings.sitting(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)") }
        guard !papers.isEmpty, papers.count <= 10, Set(papers).count == papers.count else {
            throw ExamError.invalid("bad_papers", "请指定1–10份不重复的试卷 (one to ten distinct papers)")
        }
        var problems: [String] = []
        for paperID in papers {
            guard let paper = try await store.papers.paper(id: paperID) else {
                problems.append("\(paperID): 没有该试卷 (no such paper)")
                continue
            }
            guard let assembly = try await store.papers.assembly(id: paper.assemblyID) else { continue }
            if assembly.occupation != sitting.occupation || assembly.level != sitting.level || assembly.part != sitting.part
                || (sitting.direction != nil && assembly.direction.name != sitting.direction) {
                problems.append("\(paperID): 试卷的职业、等级、方向或科目与场次不符 (the paper is for another exam or part)")
            }
            if paper.sealed == nil { problems.append("\(paperID): 试卷尚未封存 (seal the paper first)") }
        }
        guard problems.isEmpty else { throw ExamError.invalid("bad_papers", problems.joined(separator: "; ")) }
        try await store.delivery.assignPapers(
            id, papers: papers,
            audit: AuditEvent(actor: actor, action: "sitting.papers_assigned", subject: "sitting:\(id)", payload: ["papers": .array(papers.map { .string($0) })])
        )
    }

    /// Credits downtime to sittings left running, then ticks until shutdown.
    func run() async {
        let now = clock.now()
        do {
            let live = try await store.delivery.liveSittings()
            if let last = try await store.delivery.lastBeat(node: Self.node), now.timeIntervalSince(last) > Self.downtimeThreshold, !live.isEmpty {
                for id in live {
                    let sitting = try await sitting(id)
                    if await sitting.isStarted { try await sitting.creditDowntime(from: last, to: now) }
                }
                logger.notice("downtime credited", metadata: ["seconds": "\(Int(now.timeIntervalSince(last)))", "sittings": "\(live.count)"])
            } else {
                for id in live { _ = try await sitting(id) }
            }
        } catch {
            logger.error("could not recover live sittings", metadata: ["error": "\(error)"])
        }
        var lastBeat = Date.distantPast
        var lastScan = Date.distantPast
        while !Task.isCancelled {
            let now = clock.now()
            if now.timeIntervalSince(lastBeat) >= Self.beatInterval {
                lastBeat = now
                do { try await store.delivery.beat(node: Self.node, at: now) } catch { logger.warning("heartbeat failed", metadata: ["error": "\(error)"]) }
            }
            if now.timeIntervalSince(lastScan) >= 5 {
                lastScan = now
                await loadUpcoming(now)
            }
            for sitting in await registry.all() {
                await sitting.tick()
                if await sitting.isOver, await sitting.connectedCount == 0 { await registry.remove(sitting.record.id) }
            }
            try? await Task.sleep(for: Self.tickInterval)
        }
    }

    /// Loads published sittings that start within 30 minutes, so they start on time even if no
    /// candidate is connected.
    private func loadUpcoming(_ now: Date) async {
        do {
            for record in try await store.sittings.sittings() where record.status == .published {
                let untilStart = record.startsAt.timeIntervalSince(now)
                let end = record.startsAt.addingTimeInterval(TimeInterval(record.durationMinutes * 60))
                if untilStart <= 1800, now < end.addingTimeInterval(3600) {
                    let live = try await sitting(record.id)
                    if await live.isOver { await registry.remove(record.id) }
                }
            }
        } catch {
            logger.warning("could not scan sittings", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the delivery runtime as a service of the application.
struct DeliveryService: Service {
    let runtime: DeliveryRuntime

    func run() async throws {
        await cancelWhenGracefulShutdown { await runtime.run() }
        // Scores of the last hand-ins are written before the process ends (they would be redone on the next start otherwise).
        await runtime.scorer.idle()
    }
}
