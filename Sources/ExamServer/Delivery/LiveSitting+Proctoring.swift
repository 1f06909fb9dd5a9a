import Audit
import Delivery
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Storage

/// Where a connection came from: the address and the browser (User-Agent) of the request that
/// asked for its WebSocket ticket. A change between two connections of a candidate is recorded.
struct ClientInfo: Sendable, Equatable, Codable {
    var address: String?
    var device: String?
}

/// One candidate as the invigilators' grid shows them.
struct BoardRow: Sendable, Codable, Equatable {
    var id: String
    var name: String
    var room: String
    var seat: Int
    /// absent (not connected before the start), waiting, notEntered (started, not yet come),
    /// lateClosed (the late-entry cutoff passed), answering, paused, handedIn, terminated.
    var state: String
    var connected: Bool
    var answered: Int
    var items: Int
    var flagged: Int
    var remainingSeconds: Double?
    var deadline: Date?
    var lastSeen: Date?
    var focusLosses: Int
    var admittedLate: Bool
    var handedInAt: Date?
    /// While paused: since when and why.
    var pausedSince: Date?
    var pauseReason: String?
    /// Time added to this candidate so far (their own and the sitting's extensions).
    var extensionSeconds: Int
}

/// Invigilation: what the dashboard reads from a live sitting and the staff's actions on it. Each
/// action is recorded with its audit entry before anything is pushed to the candidate.
extension LiveSitting {
    /// Loads what proctoring remembers (event counts for the rules, last connections, late
    /// admissions) when the sitting is loaded, so a restart changes no count.
    func restoreProctoring() async throws {
        let store = runtime.store.proctoring
        for (candidate, kinds) in try await store.eventCounts(record.id, source: "client") {
            eventCounts[candidate] = Dictionary(uniqueKeysWithValues: kinds.compactMap { kind, count in ProctorEventKind(rawValue: kind).map { ($0, count) } })
        }
        for (candidate, detail) in try await store.latest(record.id, kind: "connection") {
            lastClient[candidate] = try? JSONDecoder().decode(ClientInfo.self, from: Data(detail.utf8))
        }
        admittedLate = try await store.candidates(record.id, withEvent: "late_admitted")
    }

    /// Records a connection (address and browser), and a change of either since the last one.
    /// Not awaited: the candidate's welcome does not wait for the record.
    func noteConnection(_ candidate: String, _ client: ClientInfo, at now: Date) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var changes: [DeliveryChange] = [
            .event(sitting: record.id, candidate: candidate, seq: nil, kind: "connection", detail: (try? encoder.encode(client)).map { String(decoding: $0, as: UTF8.self) },
                   source: "server", actor: nil, at: now),
        ]
        if let previous = lastClient[candidate] {
            if let before = previous.address, let after = client.address, before != after {
                changes.append(.event(sitting: record.id, candidate: candidate, seq: nil, kind: "address_changed", detail: "\(before) → \(after)", source: "server", actor: nil, at: now))
            }
            if let before = previous.device, let after = client.device, before != after {
                changes.append(.event(sitting: record.id, candidate: candidate, seq: nil, kind: "device_changed", detail: "\(before) → \(after)", source: "server", actor: nil, at: now))
            }
        }
        lastClient[candidate] = client
        let writer = runtime.writer
        Task { try? await writer.write(changes) }
    }

    /// Counts a browser event and applies the policy's rules: what to record, what to tell the candidate.
    func count(_ candidate: String, _ kind: ProctorEventKind, at now: Date) -> (changes: [DeliveryChange], warnings: [String]) {
        eventCounts[candidate, default: [:]][kind, default: 0] += 1
        let fired: [ProctoringPolicy.Rule] = runtime.policy.fired(by: kind, counts: eventCounts[candidate] ?? [:])
        let changes = fired.map { rule in
            DeliveryChange.event(
                sitting: record.id, candidate: candidate, seq: nil, kind: rule.action == ProctoringPolicy.Action.warn ? "rule_warning" : "rule_incident", detail: rule.message,
                source: "server", actor: nil, at: now
            )
        }
        return (changes, fired.filter { $0.action == ProctoringPolicy.Action.warn }.map { $0.message })
    }

    // MARK: Uploaded files

    /// The files a candidate uploaded (id → item), loaded once from storage.
    func loadUploads(_ candidate: String) async {
        guard uploads[candidate] == nil else { return }
        let files = (try? await runtime.store.proctoring.files(record.id, candidate: candidate)) ?? []
        uploads[candidate] = Dictionary(files.map { ($0.id, $0.item) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks that `candidate` may hand in a file for `item` now (answering, not paused, a practical task).
    func mayUpload(_ candidate: String, item: String) throws {
        let now = runtime.clock.now()
        guard isStarted, let attempt = attempts[candidate] else { throw Self.refusal(.notStarted) }
        guard attempt.status == .answering, ledger.deadline(for: candidate, at: now).map({ now < $0 }) ?? false else { throw Self.refusal(.handedIn) }
        guard !ledger.isPaused(candidate, at: now) else { throw Self.refusal(.paused) }
        guard let found = paper(for: candidate)?.item(item) else { throw Self.refusal(.unknownItem(item)) }
        guard found.type == .practicalTask else {
            throw ExamError.invalid("not_practical", "只有实操题可以上传文件 (files go with practical tasks only)")
        }
    }

    func registerUpload(_ candidate: String, id: String, item: String) async {
        await loadUploads(candidate)
        uploads[candidate, default: [:]][id] = item
    }

    /// Whether a snapshot from `candidate` is expected now: connected at least once and not handed in.
    func maySnapshot(_ candidate: String) -> Bool {
        guard seats[candidate] != nil else { return false }
        if let attempt = attempts[candidate], attempt.status == .handedIn { return false }
        return connections[candidate] != nil || firstConnected.contains(candidate)
    }

    // MARK: The grid

    /// How many of `candidates` (nil: everyone) are connected now.
    func connectedCount(of candidates: [String]?) -> Int {
        guard let candidates else { return connections.count }
        return candidates.filter { connections[$0] != nil }.count
    }

    func board(at now: Date) -> [BoardRow] {
        order.compactMap { candidate in
            guard let seat = seats[candidate] else { return nil }
            let attempt = attempts[candidate]
            let connected = connections[candidate] != nil
            let state: String
            if attempt?.handInReason == .terminated {
                state = "terminated"
            } else if attempt?.status == .handedIn {
                state = "handedIn"
            } else if !isStarted || attempt == nil {
                state = connected ? "waiting" : "absent"
            } else if !firstConnected.contains(candidate) {
                state = now > ledger.lateEntryCutoff && !admittedLate.contains(candidate) ? "lateClosed" : "notEntered"
            } else {
                state = ledger.isPaused(candidate, at: now) ? "paused" : "answering"
            }
            let counts = eventCounts[candidate] ?? [:]
            let deadline = attempt == nil ? nil : ledger.deadline(for: candidate, at: now)
            let pause = state == "paused" ? ledger.pause(of: candidate, at: now) : nil
            return BoardRow(
                id: candidate, name: seat.name, room: seat.room, seat: seat.seat, state: state, connected: connected,
                answered: attempt?.answers.values.filter { $0.answer != nil }.count ?? 0,
                items: itemCount(candidate),
                flagged: attempt?.flaggedItems.count ?? 0,
                remainingSeconds: attempt?.status == .answering ? deadline.map { max(0, $0.timeIntervalSince(now)) } : nil,
                deadline: deadline, lastSeen: lastSeen[candidate],
                focusLosses: (counts[.visibilityHidden] ?? 0) + (counts[.windowBlur] ?? 0),
                admittedLate: admittedLate.contains(candidate), handedInAt: attempt?.handedInAt,
                pausedSince: pause?.since, pauseReason: pause?.reason, extensionSeconds: ledger.extensionSeconds(for: candidate)
            )
        }
    }

    /// The sitting's own state for the dashboard header.
    func phase(at now: Date) -> String {
        if !isStarted { return "waiting" }
        if isOver { return "over" }
        return ledger.isSittingPaused(at: now) ? "paused" : "running"
    }

    // MARK: Staff actions

    /// Stops the clock for some candidates (nil: the whole sitting); audited, pushed at once.
    /// - Throws: `not_started`, `already_paused`, `nothing_to_pause`.
    func pause(_ candidates: [String]?, reason: String, actor: String, scope: String) async throws -> Int {
        let now = runtime.clock.now()
        guard isStarted else { throw Self.notStarted }
        let targets: [String]
        var entries: [TimeLedger.Entry] = []
        if let candidates {
            targets = candidates.filter { attempts[$0]?.status == .answering && !ledger.isPersonallyPaused($0, at: now) }
            guard !targets.isEmpty else { throw ExamError(.conflict, code: "nothing_to_pause", message: "没有可暂停的考生（已暂停或已交卷）(nobody answering to pause)") }
            entries = targets.map { .paused(at: now, candidate: $0, reason: reason) }
        } else {
            guard !ledger.isSittingPaused(at: now) else { throw ExamError(.conflict, code: "already_paused", message: "本场次已暂停 (the sitting is already paused)") }
            targets = Array(connections.keys)
            entries = [.paused(at: now, candidate: nil, reason: reason)]
        }
        try await appendLedger(entries, actor: actor, at: now, audit: AuditEvent(
            actor: actor, action: "sitting.paused", subject: "sitting:\(record.id)",
            payload: ["scope": .string(scope), "candidates": .int(candidates == nil ? seats.count : targets.count), "reason": .string(reason)]
        ))
        noteAction("paused", candidates: candidates, scope: scope, detail: reason, actor: actor, at: now)
        pushTime(to: targets, reason: "考试已暂停：\(reason)")
        return targets.count
    }

    /// Starts the clock again for some candidates (nil: the sitting-wide pause); audited, pushed at once.
    func resume(_ candidates: [String]?, actor: String, scope: String) async throws -> Int {
        let now = runtime.clock.now()
        guard isStarted else { throw Self.notStarted }
        let targets: [String]
        let entries: [TimeLedger.Entry]
        if let candidates {
            targets = candidates.filter { ledger.isPersonallyPaused($0, at: now) }
            guard !targets.isEmpty else { throw ExamError(.conflict, code: "not_paused", message: "所选考生没有暂停 (nobody here is paused)") }
            entries = targets.map { .resumed(at: now, candidate: $0) }
        } else {
            guard ledger.isSittingPaused(at: now) else { throw ExamError(.conflict, code: "not_paused", message: "本场次没有暂停 (the sitting is not paused)") }
            targets = Array(connections.keys)
            entries = [.resumed(at: now, candidate: nil)]
        }
        try await appendLedger(entries, actor: actor, at: now, audit: AuditEvent(
            actor: actor, action: "sitting.resumed", subject: "sitting:\(record.id)",
            payload: ["scope": .string(scope), "candidates": .int(candidates == nil ? seats.count : targets.count)]
        ))
        noteAction("resumed", candidates: candidates, scope: scope, detail: nil, actor: actor, at: now)
        pushTime(to: targets, reason: "考试继续，暂停时间已补回")
        return targets.count
    }

    /// Adds time for some candidates (a room) in one action: a ledger entry each, one audit entry, one feed event.
    func extend(seconds: Int, candidates: [String], reason: String, actor: String, scope: String) async throws {
        let now = runtime.clock.now()
        guard isStarted else { throw Self.notStarted }
        let targets = candidates.filter { attempts[$0] != nil && attempts[$0]?.status != .handedIn }
        try await appendLedger(
            targets.map { .extended(seconds: seconds, candidate: $0, reason: reason, at: now) }, actor: actor, at: now,
            audit: AuditEvent(actor: actor, action: "sitting.time_extended", subject: "sitting:\(record.id)",
                              payload: ["seconds": .int(seconds), "scope": .string(scope), "candidates": .int(targets.count), "reason": .string(reason)])
        )
        noteAction("time_extended", candidates: targets, scope: scope, detail: "+\(Self.amount(seconds))：\(reason)", actor: actor, at: now)
        pushTime(to: targets, reason: "延长时间：\(reason)")
    }

    /// "2 分钟", "90 秒": time added, as the feed shows it.
    static func amount(_ seconds: Int) -> String { seconds % 60 == 0 ? "\(seconds / 60) 分钟" : "\(seconds) 秒" }

    /// Puts a staff action on the feed (the ledger and the audit log hold it already): about the
    /// one candidate it concerns, or the room or sitting named in `scope`.
    func noteAction(_ kind: String, candidates: [String]?, scope: String, detail: String?, actor: String, at now: Date) {
        let one = candidates?.count == 1 && scope.hasPrefix("candidate:") ? candidates?.first : nil
        let place = scope.hasPrefix("room:") ? "考场 \(scope.dropFirst(5))" : scope == "sitting" ? "全场" : nil
        let text = [place, detail].compactMap { $0 }.joined(separator: "：")
        let change = DeliveryChange.event(
            sitting: record.id, candidate: one, seq: nil, kind: kind, detail: text.isEmpty ? nil : text, source: "staff", actor: actor, at: now
        )
        let writer = runtime.writer
        Task { try? await writer.write([change]) }
    }

    private func appendLedger(_ entries: [TimeLedger.Entry], actor: String, at now: Date, audit: AuditEvent) async throws {
        for (index, entry) in entries.enumerated() {
            try await runtime.store.delivery.appendLedger(record.id, entry, actor: actor, at: now, audit: index == 0 ? audit : nil)
            ledger.append(entry)
        }
    }

    /// Lets a candidate in after the late-entry cutoff; audited.
    func admitLate(_ candidate: String, reason: String, actor: String) async throws {
        guard isStarted else { throw Self.notStarted }
        guard attempts[candidate] != nil else { throw Self.unknownCandidate }
        guard !firstConnected.contains(candidate) else {
            throw ExamError(.conflict, code: "already_entered", message: "该考生已入场 (the candidate has already entered)")
        }
        guard !admittedLate.contains(candidate) else { return }
        let now = runtime.clock.now()
        _ = try await runtime.store.proctoring.recordStaffEvent(
            sitting: record.id, candidate: candidate, kind: "late_admitted", detail: reason, actor: actor, at: now,
            audit: AuditEvent(actor: actor, action: "sitting.late_admitted", subject: "sitting:\(record.id)", payload: ["candidate": .string(candidate), "reason": .string(reason)])
        )
        admittedLate.insert(candidate)
    }

    /// Sends a warning the candidate must dismiss; recorded and audited first.
    /// - Returns: whether it reached the candidate now; if they are not connected they get it when they reconnect.
    @discardableResult
    func warn(candidate: String, text: String, actor: String) async throws -> Bool {
        let now = runtime.clock.now()
        _ = try await runtime.store.proctoring.recordStaffEvent(
            sitting: record.id, candidate: candidate, kind: "warning", detail: text, actor: actor, at: now,
            audit: AuditEvent(actor: actor, action: "sitting.warning_sent", subject: "sitting:\(record.id)", payload: ["candidate": .string(candidate), "text": .string(text)])
        )
        guard connections[candidate] != nil else {
            pendingWarnings[candidate, default: []].append((text, now))
            return false
        }
        send(candidate, .warning(text: text, at: now))
        return true
    }

    /// Files an irregularity (违纪或异常情况) about the sitting or one candidate; audited.
    func fileIrregularity(candidate: String?, text: String, actor: String) async throws -> Int64 {
        try await runtime.store.proctoring.recordStaffEvent(
            sitting: record.id, candidate: candidate, kind: "irregularity", detail: text, actor: actor, at: runtime.clock.now(),
            audit: AuditEvent(
                actor: actor, action: "sitting.irregularity_filed", subject: "sitting:\(record.id)",
                payload: ["candidate": candidate.map(JSONValue.string) ?? .null, "text": .string(text)]
            )
        )
    }

    /// Records a misconduct decision; a tier that ends the sitting (or `terminate`) hands the
    /// candidate in as terminated, and the candidate is told either way.
    func decide(
        candidate: String, tier: MisconductTier, points: Int?, banYears: Int?, reason: String, evidence: MisconductRecord.Evidence, terminate: Bool, actor: String
    ) async throws -> MisconductRecord {
        guard seats[candidate] != nil else { throw Self.unknownCandidate }
        let now = runtime.clock.now()
        let answering = attempts[candidate]?.status == .answering
        let ends = (tier.ends || terminate) && answering
        var decision = MisconductRecord(
            sitting: record.id, candidate: candidate, tier: tier, points: points, banYears: banYears, reason: reason, evidence: evidence,
            terminated: ends, decidedBy: actor, decidedAt: now
        )
        var payload: [String: JSONValue] = [
            "candidate": .string(candidate), "tier": .string(tier.rawValue), "reason": .string(reason), "terminated": .bool(ends),
            "events": .array(evidence.events.map { .int(Int($0)) }), "snapshots": .array(evidence.snapshots.map { .int(Int($0)) }),
        ]
        if let points { payload["points"] = .int(points) }
        if let banYears { payload["banYears"] = .int(banYears) }
        decision.id = try await runtime.store.proctoring.recordMisconduct(
            decision, audit: AuditEvent(actor: actor, action: "sitting.misconduct_decided", subject: "sitting:\(record.id)", payload: .object(payload))
        )
        if ends {
            send(candidate, .warning(text: "你的考试已被监考人员终止（\(tier.chineseName)）：\(reason)", at: now))
            await handIn([candidate], reason: .terminated, at: now)
        } else {
            send(candidate, .warning(text: "监考记录（\(tier.chineseName)）：\(reason)", at: now))
        }
        return decision
    }

    static var notStarted: ExamError { ExamError(.conflict, code: "not_started", message: "考试尚未开始 (the sitting has not started)") }
    /// A delivery refusal outside a message (an upload), with the protocol's code.
    static func refusal(_ error: DeliveryError) -> ExamError {
        if case .unknownItem = error { return ExamError.invalid(error.code, error.message) }
        return ExamError(.conflict, code: error.code, message: error.message)
    }
    static var unknownCandidate: ExamError { ExamError.invalid("unknown_candidate", "该考生不在本场次 (not a candidate of this sitting)") }
}

