import Accounts
import Crypto
import Audit
import Delivery
import Documents
import ExamCore
import Foundation
import Hummingbird
import ItemBank
import Logging
import PaperAssembly
import Storage

/// What a connection's writer is asked to do.
enum Outbound: Sendable {
    case message(ServerMessage)
    /// A message already encoded (the same frame for many candidates).
    case text(String)
    case close(code: UInt16, reason: String)
}

/// One running (or about to run) sitting: the only owner of its candidates' attempts while the
/// server is up. Changes are applied to the attempt values, written through the group-commit
/// writer, and acknowledged only once durable; time comes from the ledger.
actor LiveSitting {
    struct Connection {
        var id: UUID
        var sessionHash: String
        var sink: AsyncStream<Outbound>.Continuation
        var badMessages = 0
        var sealed = true
    }

    struct Seat: Sendable {
        var name: String
        var room: String
        var seat: Int
    }

    let record: SittingRecord
    let title: String
    let runtime: DeliveryRuntime
    var ledger: TimeLedger
    var attempts: [String: Attempt] = [:]
    var paperOf: [String: String] = [:]
    var packages: [String: PaperPackage] = [:]
    private var delivered: [String: DeliveredPaper] = [:]
    var firstConnected: Set<String> = []
    let seats: [String: Seat]
    /// Candidates in seat order (rooms in plan order).
    let order: [String]
    var connections: [String: Connection] = [:]
    /// Proctoring (LiveSitting+Proctoring.swift): when each candidate was last heard from, their
    /// browser events by kind (for the policy's rules), the address and device of their last
    /// connection, who was admitted after the late-entry cutoff, and the files they uploaded.
    var lastSeen: [String: Date] = [:]
    var eventCounts: [String: [ProctorEventKind: Int]] = [:]
    var lastClient: [String: ClientInfo] = [:]
    var admittedLate: Set<String> = []
    var uploads: [String: [String: String]] = [:]
    /// How this part's objective items are scored (from the standard).
    private(set) var scoringRules = ObjectiveScoringRules()
    /// Warnings sent while the candidate was not connected, given on their next connection.
    var pendingWarnings: [String: [(text: String, at: Date)]] = [:]
    private var lastTimePush = Date.distantPast
    private(set) var startProblem: String?
    /// Papers are opened this long before the start and sent sealed; the start then only sends the key.
    static let prepareAhead: TimeInterval = 600
    /// The sitting key of the sealed papers sent before the start (in memory only: after a restart
    /// before the start a new key is made and the papers sent again).
    private var sittingKey: SymmetricKey?
    private var plannedPaperOf: [String: String] = [:]
    /// Candidates whose connection received their sealed paper.
    private var sealedSent: Set<String> = []

    init(record: SittingRecord, title: String, runtime: DeliveryRuntime, ledger: TimeLedger, seats: [String: Seat], order: [String], stored: [StoredAttempt]) {
        self.record = record
        self.title = title
        self.runtime = runtime
        self.ledger = ledger
        self.seats = seats
        self.order = order
        for entry in stored {
            attempts[entry.candidate] = entry.attempt
            paperOf[entry.candidate] = entry.paperID
            if entry.firstConnectedAt != nil { firstConnected.insert(entry.candidate) }
        }
    }

    var isStarted: Bool { ledger.start != nil }
    var isOver: Bool { isStarted && attempts.values.allSatisfy { $0.status == .handedIn } }
    var connectedCount: Int { connections.count }

    // MARK: Connections

    enum ConnectOutcome { case accepted(UUID), refused(code: UInt16, reason: String) }

    /// - Parameter sealed: false for a client that cannot open sealed papers (no WebCrypto): it gets the paper in clear at the start.
    func connect(
        candidate: String, sessionHash: String, sealed: Bool = true, client: ClientInfo = .init(address: nil, device: nil), sink: AsyncStream<Outbound>.Continuation
    ) async -> ConnectOutcome {
        let now = runtime.clock.now()
        guard let seat = seats[candidate] else { return .refused(code: 4004, reason: "not seated in this sitting") }
        if let existing = connections[candidate] {
            if existing.sessionHash != sessionHash {
                try? await runtime.writer.write([
                    .event(sitting: record.id, candidate: candidate, seq: nil, kind: "second_login", detail: "a second session tried to connect", source: "server", actor: nil, at: now)
                ])
                return .refused(code: 4003, reason: "another session of this candidate is connected")
            }
            existing.sink.yield(.close(code: 4001, reason: "replaced by a newer connection"))
            existing.sink.finish()
        }
        if isStarted, attempts[candidate] == nil {
            return .refused(code: 4004, reason: "not in this sitting's attempts")
        }
        if isStarted, !firstConnected.contains(candidate), now > ledger.lateEntryCutoff, !admittedLate.contains(candidate) {
            try? await runtime.writer.write([
                .event(sitting: record.id, candidate: candidate, seq: nil, kind: "late_entry_refused", detail: nil, source: "server", actor: nil, at: now)
            ])
            return .refused(code: 4004, reason: "late entry closed")
        }
        let id = UUID()
        connections[candidate] = Connection(id: id, sessionHash: sessionHash, sink: sink, sealed: sealed)
        lastSeen[candidate] = now
        noteConnection(candidate, client, at: now)
        if isStarted, !firstConnected.contains(candidate) {
            firstConnected.insert(candidate)
            try? await runtime.writer.write([.connected(sitting: record.id, candidate: candidate, at: now)])
        }
        let attempt = attempts[candidate]
        let state = state(of: candidate, at: now)
        sink.yield(.message(.welcome(
            sitting: .init(
                id: record.id, title: title, part: record.part.rawValue, durationMinutes: record.durationMinutes, scheduledStart: record.startsAt,
                lateEntryCutoff: ledger.lateEntryCutoff, earliestHandInMinutes: ledger.earliestHandInSeconds / 60
            ),
            candidate: .init(name: seat.name, room: seat.room, seat: seat.seat), state: state, lastSeq: attempt?.lastSeq ?? 0,
            answers: attempt?.answers.compactMapValues(\.answer) ?? [:], flags: attempt?.flaggedItems ?? [], time: time(for: candidate, at: now, reason: nil),
            receipt: attempt?.receipt, serverTime: now, proctoring: runtime.proctoringInfo
        )))
        if isStarted, attempt?.status != .handedIn, let paper = paper(for: candidate) {
            sink.yield(.message(.paper(paper.items)))
        }
        sealedSent.remove(candidate)
        if sealed, !isStarted, sittingKey != nil { sendSealedPaper(to: candidate) }
        sink.yield(.message(.time(time(for: candidate, at: now, reason: nil))))
        for warning in pendingWarnings.removeValue(forKey: candidate) ?? [] { sink.yield(.message(.warning(text: warning.text, at: warning.at))) }
        if attempt?.status == .handedIn {
            sink.yield(attempt?.handInReason == .terminated ? .close(code: 4005, reason: "terminated by the invigilator") : .close(code: 4004, reason: "handed in"))
        }
        return .accepted(id)
    }

    func disconnect(candidate: String, id: UUID) {
        guard connections[candidate]?.id == id else { return }
        connections[candidate] = nil
    }

    func send(_ candidate: String, _ message: ServerMessage) {
        connections[candidate]?.sink.yield(.message(message))
    }

    func close(_ candidate: String, code: UInt16, reason: String) {
        connections[candidate]?.sink.yield(.close(code: code, reason: reason))
    }

    // MARK: Messages

    func receive(candidate: String, connection: UUID, text: String) async {
        guard connections[candidate]?.id == connection else { return }
        lastSeen[candidate] = runtime.clock.now()
        let message: ClientMessage
        do {
            message = try ClientMessage.parse(text)
        } catch {
            let (code, detail, seq): (String, String, Int?) = switch error {
            case .bad(let detail, let seq): ("bad_message", detail, seq)
            case .unknownType(let type): ("unknown_type", "unknown message type \(type)", nil)
            }
            send(candidate, .error(code: code, message: detail, seq: seq))
            connections[candidate]?.badMessages += 1
            if (connections[candidate]?.badMessages ?? 0) > 20 { close(candidate, code: 1008, reason: "too many malformed messages") }
            return
        }
        let now = runtime.clock.now()
        if case .ping(let t) = message {
            send(candidate, .pong(t: t, serverTime: now))
            return
        }
        guard let seq = message.seq else { return }
        guard isStarted, var attempt = attempts[candidate] else {
            if case .event(_, let kind, let detail) = message {
                let fired = count(candidate, kind, at: now)
                try? await runtime.writer.write(
                    [.event(sitting: record.id, candidate: candidate, seq: nil, kind: kind.rawValue, detail: detail, source: "client", actor: nil, at: now)] + fired.changes
                )
                send(candidate, .ack(seq: seq))
                for text in fired.warnings { send(candidate, .warning(text: text, at: now)) }
            } else {
                send(candidate, .error(code: DeliveryError.notStarted.code, message: DeliveryError.notStarted.message, seq: seq))
            }
            return
        }
        // The deadline passed while nobody looked: hand in first, then answer.
        if attempt.status == .answering, let deadline = ledger.deadline(for: candidate, at: now), now >= deadline {
            await handIn([candidate], reason: .deadline, at: deadline)
            attempt = attempts[candidate] ?? attempt
        }
        var changes: [DeliveryChange] = []
        var warnings: [String] = []
        if case .save(_, _, let answer?) = message, !answer.files.isEmpty { await loadUploads(candidate) }
        do throws(DeliveryError) {
            switch message {
            case .save(_, let key, let answer):
                guard attempt.status == .answering else { throw attempt.status == .handedIn ? .handedIn : .notStarted }
                guard !ledger.isPaused(candidate, at: now) else { throw .paused }
                guard let paper = paper(for: candidate), let canonical = paper.canonical(key) else { throw .unknownItem(key) }
                // A replay, or an older change of an item a newer one already set: covered.
                if let current = attempt.answers[key], current.seq >= seq { break }
                var checked: Answer?
                if let answer {
                    switch paper.check(answer, for: key) {
                    case .success(let normalised): checked = normalised
                    case .failure(let error): throw error
                    }
                    if let unknown = checked?.files.first(where: { uploads[candidate]?[$0] != key }) {
                        throw .badAnswer("\(key): no file \(unknown) uploaded for this item")
                    }
                }
                if try attempt.save(checked, item: key, seq: seq) == .applied {
                    changes.append(.answer(sitting: record.id, candidate: candidate, key: key, itemID: canonical.id.rawValue, seq: seq, answer: checked, at: now))
                } else if seq > (attempts[candidate]?.lastSeq ?? 0) {
                    changes.append(.seen(sitting: record.id, candidate: candidate, seq: seq))
                }
            case .flag(_, let key, let flagged):
                guard paper(for: candidate)?.item(key) != nil else { throw .unknownItem(key) }
                if try attempt.flag(key, flagged: flagged, seq: seq) == .applied {
                    changes.append(.flag(sitting: record.id, candidate: candidate, key: key, flagged: flagged, seq: seq))
                }
            case .event(_, let kind, let detail):
                attempt.note(seq: seq)
                changes.append(.event(sitting: record.id, candidate: candidate, seq: seq, kind: kind.rawValue, detail: detail, source: "client", actor: nil, at: now))
                let fired = count(candidate, kind, at: now)
                changes += fired.changes
                warnings = fired.warnings
            case .handIn:
                if attempt.status == .handedIn { break }
                if let earliest = ledger.earliestHandIn, now < earliest { throw .earlyHandIn(earliest) }
                // The seq and the hand-in in one write: one commit, then the ack and the receipt.
                attempt.note(seq: seq)
                attempt.handIn(at: now, reason: .candidate, sitting: record.id, items: itemCount(candidate))
                attempts[candidate] = attempt
                guard let receipt = attempt.receipt else { return }
                changes.append(.seen(sitting: record.id, candidate: candidate, seq: seq))
                changes.append(.handIn(sitting: record.id, candidate: candidate, at: now, reason: .candidate, receipt: receipt))
                do {
                    try await runtime.writer.write(changes)
                } catch {
                    await storageFailed(candidate, error)
                    return
                }
                send(candidate, .ack(seq: seq))
                send(candidate, .handedIn(receipt))
                close(candidate, code: 1000, reason: "handed in")
                score([candidate])
                return
            case .ping:
                return
            }
        } catch {
            // A refused change is never applied; the seq is spent so a replay is refused the same way.
            send(candidate, .error(code: error.code, message: error.message, seq: seq))
            return
        }
        attempts[candidate] = attempt
        if !changes.isEmpty {
            do {
                try await runtime.writer.write(changes)
            } catch {
                await storageFailed(candidate, error)
                return
            }
        }
        send(candidate, .ack(seq: seq))
        for text in warnings { send(candidate, .warning(text: text, at: now)) }
    }

    /// A write failed: what memory holds may be ahead of the disk, so the candidate's attempt is
    /// reloaded from storage and the connection closed; the client replays what was not acknowledged.
    private func storageFailed(_ candidate: String, _ error: any Error) async {
        runtime.logger.error("delivery write failed", metadata: ["sitting": "\(record.id)", "error": "\(error)"])
        if let stored = try? await runtime.store.delivery.attempts(record.id).first(where: { $0.candidate == candidate }) {
            attempts[candidate] = stored.attempt
        }
        close(candidate, code: 1011, reason: "storage unavailable; reconnect")
    }

    // MARK: Time

    func state(of candidate: String, at now: Date) -> String {
        guard isStarted, let attempt = attempts[candidate] else { return "waiting" }
        if attempt.status == .handedIn { return "handedIn" }
        return ledger.isPaused(candidate, at: now) ? "paused" : "answering"
    }

    func time(for candidate: String, at now: Date, reason: String?) -> ServerMessage.Time {
        let deadline = attempts[candidate] == nil ? nil : ledger.deadline(for: candidate, at: now)
        return ServerMessage.Time(
            serverTime: now, state: state(of: candidate, at: now), startsAt: ledger.start ?? ledger.scheduledStart, deadline: deadline,
            remainingSeconds: deadline.map { max(0, $0.timeIntervalSince(now)) }, earliestHandIn: ledger.earliestHandIn, reason: reason
        )
    }

    func pushTime(to candidates: [String], reason: String?) {
        let now = runtime.clock.now()
        for candidate in candidates where connections[candidate] != nil {
            send(candidate, .time(time(for: candidate, at: now, reason: reason)))
        }
    }

    /// Starts when due, hands in whoever reached their deadline, and refreshes the clocks every 30 s.
    func tick() async {
        let now = runtime.clock.now()
        if !isStarted {
            if sittingKey == nil, now >= record.startsAt.addingTimeInterval(-Self.prepareAhead) { await prepare() }
            // Within one tick of the start: wait for the instant itself rather than up to a tick late.
            let wait = record.startsAt.timeIntervalSince(now)
            if wait > 0, wait <= 0.3 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            let at = runtime.clock.now()
            if at >= record.startsAt { await start(at: at) }
            return
        }
        let due = attempts.values.filter { attempt in
            attempt.status == .answering && (ledger.deadline(for: attempt.candidate, at: now).map { now >= $0 } ?? false)
        }
        if !due.isEmpty {
            // Each is handed in at their own deadline, the moment the ledger says.
            let byDeadline = Dictionary(grouping: due) { ledger.deadline(for: $0.candidate, at: now)! }
            for (deadline, group) in byDeadline { await handIn(group.map(\.candidate), reason: .deadline, at: deadline) }
        }
        if now.timeIntervalSince(lastTimePush) >= 30 {
            lastTimePush = now
            pushTime(to: Array(connections.keys), reason: nil)
        }
    }

    // MARK: Start and hand-in

    /// Opens the papers ahead of the start and sends every connected candidate their paper sealed
    /// under a new sitting key, so the start itself only sends 32 bytes to each.
    private func prepare() async {
        do {
            let paperIDs = try await openPapers()
            for (position, candidate) in order.enumerated() { plannedPaperOf[candidate] = paperIDs[position % paperIDs.count] }
            try await runtime.store.delivery.prepareAttempts(record.id, attempts: order.map { ($0, plannedPaperOf[$0]!) })
            sittingKey = SymmetricKey(size: .bits256)
            for (candidate, connection) in connections where connection.sealed { sendSealedPaper(to: candidate) }
            runtime.logger.info("sitting papers prepared", metadata: ["sitting": "\(record.id)", "sent": "\(sealedSent.count)"])
        } catch {
            note(error)
        }
    }

    private func openPapers() async throws -> [String] {
        let paperIDs = try await runtime.store.delivery.papers(of: record.id)
        guard !paperIDs.isEmpty else { throw ExamError(.conflict, code: "no_paper", message: "场次没有指定试卷 (no paper assigned)") }
        for paperID in paperIDs where packages[paperID] == nil {
            packages[paperID] = try await runtime.release(paperID, sitting: record.id)
        }
        return paperIDs
    }

    private func sendSealedPaper(to candidate: String) {
        guard let key = sittingKey, let paperID = plannedPaperOf[candidate], let package = packages[paperID] else { return }
        let paper = delivered[candidate] ?? DeliveredPaper(package: package, seed: DeliveredPaper.seed(sitting: record.id, candidate: candidate))
        guard let box = try? AES.GCM.seal(Data(ServerMessage.paper(paper.items).json().utf8), using: key).combined else { return }
        send(candidate, .sealedPaper(box: box))
        sealedSent.insert(candidate)
    }

    private func note(_ error: any Error) {
        let problem = (error as? ExamError)?.message ?? "\(error)"
        if problem != startProblem {
            runtime.logger.warning("sitting cannot start", metadata: ["sitting": "\(record.id)", "problem": "\(problem)"])
            startProblem = problem
        }
    }

    private func start(at now: Date) async {
        do {
            let paperIDs = try await openPapers()
            var assignment: [(candidate: String, paperID: String)] = []
            for (position, candidate) in order.enumerated() { assignment.append((candidate, paperIDs[position % paperIDs.count])) }
            try await runtime.store.delivery.start(
                record.id, at: now, attempts: assignment, actor: "system",
                audit: AuditEvent(
                    actor: "system", action: "sitting.started", subject: "sitting:\(record.id)",
                    payload: ["papers": .array(paperIDs.map { .string($0) }), "candidates": .int(assignment.count), "connected": .int(connections.count)]
                )
            )
            ledger.append(.started(at: now))
            for (candidate, paperID) in assignment {
                attempts[candidate] = Attempt(candidate: candidate, status: .answering)
                paperOf[candidate] = paperID
            }
            startProblem = nil
            let connected = Array(connections.keys)
            var firsts: [DeliveryChange] = []
            // Those holding their sealed paper get the key; anyone else gets the paper itself.
            let keyFrame = sittingKey.map { key in ServerMessage.paperKey(key.withUnsafeBytes { Data($0) }).json() }
            for candidate in connected {
                firstConnected.insert(candidate)
                firsts.append(.connected(sitting: record.id, candidate: candidate, at: now))
                if let keyFrame, sealedSent.contains(candidate), plannedPaperOf[candidate] == paperOf[candidate] {
                    connections[candidate]?.sink.yield(.text(keyFrame))
                } else if let paper = paper(for: candidate) {
                    send(candidate, .paper(paper.items))
                }
            }
            // Nobody has personal time yet at the start: one encoded frame serves everyone.
            if let anyone = connected.first {
                let frame = ServerMessage.time(time(for: anyone, at: now, reason: nil)).json()
                for candidate in connected { connections[candidate]?.sink.yield(.text(frame)) }
            }
            lastTimePush = now
            try? await runtime.writer.write(firsts)
            runtime.logger.info("sitting started", metadata: ["sitting": "\(record.id)", "candidates": "\(assignment.count)", "connected": "\(connected.count)"])
        } catch {
            note(error)
        }
    }

    func setScoringRules(_ rules: ObjectiveScoringRules) { scoringRules = rules }

    /// Hands durable hand-ins to the scorer (scored off this actor).
    func score(_ candidates: [String]) {
        let jobs = candidates.compactMap { candidate -> ScoringQueue.Job? in
            guard let attempt = attempts[candidate], attempt.status == .handedIn, let paperID = paperOf[candidate], let package = packages[paperID] else { return nil }
            return ScoringQueue.Job(
                sitting: record.id, candidate: candidate, paperID: paperID, package: package,
                seed: DeliveredPaper.seed(sitting: record.id, candidate: candidate), answers: attempt.answers.compactMapValues(\.answer), rules: scoringRules
            )
        }
        runtime.scorer.submit(jobs)
    }

    /// Scores hand-ins whose score is missing (the server stopped between a hand-in and its scoring).
    func scoreMissing() async {
        guard let missing = try? await runtime.store.delivery.unscored(record.id), !missing.isEmpty else { return }
        runtime.logger.notice("scoring hand-ins left unscored", metadata: ["sitting": "\(record.id)", "count": "\(missing.count)"])
        score(missing)
    }

    /// How many items the candidate's paper has (without building them).
    func itemCount(_ candidate: String) -> Int { paperOf[candidate].flatMap { packages[$0]?.items.count } ?? 0 }

    func paper(for candidate: String) -> DeliveredPaper? {
        if let paper = delivered[candidate] { return paper }
        guard let paperID = paperOf[candidate], let package = packages[paperID] else { return nil }
        let paper = DeliveredPaper(package: package, seed: DeliveredPaper.seed(sitting: record.id, candidate: candidate))
        delivered[candidate] = paper
        return paper
    }

    /// Loads the released packages after a restart (no custodian needed).
    func restorePackages() async throws {
        for paperID in Set(paperOf.values) where packages[paperID] == nil {
            packages[paperID] = try await runtime.release(paperID, sitting: record.id)
        }
    }

    func handIn(_ candidates: [String], reason: Attempt.HandInReason, at time: Date) async {
        var changes: [DeliveryChange] = []
        var done: [String] = []
        for candidate in candidates {
            guard var attempt = attempts[candidate], attempt.status != .handedIn else { continue }
            attempt.handIn(at: time, reason: reason, sitting: record.id, items: itemCount(candidate))
            attempts[candidate] = attempt
            if let receipt = attempt.receipt {
                changes.append(.handIn(sitting: record.id, candidate: candidate, at: time, reason: reason, receipt: receipt))
                done.append(candidate)
            }
        }
        do {
            try await runtime.writer.write(changes)
        } catch {
            runtime.logger.error("hand-in write failed", metadata: ["sitting": "\(record.id)", "error": "\(error)"])
            for candidate in done { await storageFailed(candidate, error) }
            return
        }
        score(done)
        for candidate in done {
            if let receipt = attempts[candidate]?.receipt { send(candidate, .handedIn(receipt)) }
            if reason == .terminated {
                close(candidate, code: 4005, reason: "terminated by the invigilator")
            } else {
                close(candidate, code: 1000, reason: "handed in")
            }
        }
    }

    // MARK: Staff actions

    /// Adds time for one candidate or everyone, pushes the new deadline, and records it.
    func extend(seconds: Int, candidate: String?, reason: String, actor: String) async throws {
        let now = runtime.clock.now()
        let entry = TimeLedger.Entry.extended(seconds: seconds, candidate: candidate, reason: reason, at: now)
        try await runtime.store.delivery.appendLedger(
            record.id, entry, actor: actor, at: now,
            audit: AuditEvent(actor: actor, action: "sitting.time_extended", subject: "sitting:\(record.id)",
                              payload: ["seconds": .int(seconds), "candidate": candidate.map { .string($0) } ?? .null, "reason": .string(reason)])
        )
        ledger.append(entry)
        noteAction(
            "time_extended", candidates: candidate.map { [$0] }, scope: candidate.map { "candidate:\($0)" } ?? "sitting",
            detail: "+\(Self.amount(seconds))：\(reason)", actor: actor, at: now
        )
        pushTime(to: candidate.map { [$0] } ?? Array(connections.keys), reason: "延长时间：\(reason)")
    }

    /// Records server downtime in the ledger (after a restart) and tells everyone.
    func creditDowntime(from: Date, to: Date) async throws {
        let entry = TimeLedger.Entry.downtime(from: from, to: to)
        try await runtime.store.delivery.appendLedger(
            record.id, entry, actor: "system", at: to,
            audit: AuditEvent(actor: "system", action: "sitting.downtime_credited", subject: "sitting:\(record.id)",
                              payload: ["seconds": .int(Int(to.timeIntervalSince(from).rounded(.up)))])
        )
        ledger.append(entry)
        pushTime(to: Array(connections.keys), reason: "服务中断时间已补回")
    }

    /// A snapshot for the dashboard and tests.
    struct Status: Sendable, Codable, ResponseEncodable {
        var started: Bool
        var startProblem: String?
        var candidates: Int
        var connected: Int
        var handedIn: Int
    }

    func status() -> Status {
        Status(
            started: isStarted, startProblem: startProblem, candidates: seats.count, connected: connections.count,
            handedIn: attempts.values.filter { $0.status == .handedIn }.count
        )
    }
}
