// `--load URL TICKETS.tsv [--save-every S] [--answer-for S] [--connect-concurrency C] [--out ACKS.tsv]
//  [--server-pid PID]`: N simulated candidates (one per ticket line) sign in with their tickets,
// open the sitting WebSocket, wait for the synchronized start, receive the paper, save an answer
// every S seconds, and all hand in after --answer-for seconds. Prints one JSON object: time from
// the scheduled start to the first question (p50/p99/max), ack latency (p50/p99/p999), hand-in
// time, errors, and the server's RSS and CPU; writes every acknowledged (candidate, item, seq) to
// ACKS.tsv so the caller can check the database afterwards. The WebSockets are plain SwiftNIO
// clients (no TLS library), so 10,000 of them fit on two cores beside the server.
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class LoadStats: Sendable {
    struct State {
        var firstQuestion: [Double] = []
        var ackLatency: [Double] = []
        var handIn: [Double] = []
        var errors: [String: Int] = [:]
        var acked: [(candidate: String, item: String, seq: Int)] = []
        var connected = 0
        var handedIn = 0
        var sharedKeys: [String] = []
    }

    let state = NIOLockedValueBox(State())

    func error(_ kind: String) { state.withLockedValue { $0.errors[kind, default: 0] += 1 } }
}

/// One candidate's WebSocket: reads the server's messages (only `type`, `seq` and item keys are
/// looked at, by substring, to keep the client cheap), saves on a timer, hands in on request.
final class CandidateHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let candidate: String
    let startsAt: Date
    let stats: LoadStats
    let saveEvery: TimeAmount
    /// Whether this candidate opens its sealed paper (every 50th).
    let verify: Bool
    var items: [String] = []
    /// The paper as received; read at the first save, not on the start path.
    var paperText: String?
    var sealedBox: Data?
    var paperKey: Data?
    var seq = 0
    var sent: [Int: NIODeadline] = [:]
    var keyOfSeq: [Int: String] = [:]
    var handInSent: NIODeadline?
    var context: ChannelHandlerContext?
    /// Set once when added; read from other threads only to schedule work on it.
    nonisolated(unsafe) var eventLoop: (any EventLoop)?
    var buffer = ""
    var saveTask: RepeatedTask?

    init(candidate: String, startsAt: Date, stats: LoadStats, saveEvery: TimeAmount, verify: Bool) {
        self.candidate = candidate
        self.verify = verify
        self.startsAt = startsAt
        self.stats = stats
        self.saveEvery = saveEvery
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        eventLoop = context.eventLoop
        stats.state.withLockedValue { $0.connected += 1 }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .continuation:
            var data = frame.unmaskedData
            buffer += data.readString(length: data.readableBytes) ?? ""
            if frame.fin {
                handle(buffer, context: context)
                buffer = ""
            }
        case .ping:
            var pong = frame.unmaskedData
            let reply = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: pong.readSlice(length: pong.readableBytes) ?? ByteBuffer())
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    static let debug = ProcessInfo.processInfo.environment["LOAD_DEBUG"] != nil

    private func handle(_ text: String, context: ChannelHandlerContext) {
        if Self.debug { print("<- \(candidate.prefix(8)) \(text.prefix(120))", to: &standardError) }
        if text.contains(#""type":"sealedPaper""#) {
            // Held until the key comes at the start (opened at the first save, off the start path).
            sealedBox = text.components(separatedBy: #""box":""#).dropFirst().first?.split(separator: "\"").first.flatMap { Data(base64Encoded: String($0)) }
        } else if text.contains(#""type":"paperKey""#) {
            let delay = Date().timeIntervalSince(startsAt)
            stats.state.withLockedValue { $0.firstQuestion.append(delay) }
            paperKey = text.components(separatedBy: #""key":""#).dropFirst().first?.split(separator: "\"").first.flatMap { Data(base64Encoded: String($0)) }
            // Saves begin 2 s after the start, spread over one period.
            let phase = TimeAmount.seconds(2) + .nanoseconds(Int64.random(in: 0..<max(1, saveEvery.nanoseconds)))
            saveTask = context.eventLoop.scheduleRepeatedTask(initialDelay: phase, delay: saveEvery) { [weak self] _ in self?.save() }
        } else if text.hasPrefix(#"{"items":"#) || text.contains(#""type":"paper""#) {
            let delay = Date().timeIntervalSince(startsAt)
            stats.state.withLockedValue { $0.firstQuestion.append(delay) }
            paperText = text
            // Saves start at a random moment within the first period, then every period.
            let phase = TimeAmount.nanoseconds(Int64.random(in: 0..<max(1, saveEvery.nanoseconds)))
            saveTask = context.eventLoop.scheduleRepeatedTask(initialDelay: phase, delay: saveEvery) { [weak self] _ in self?.save() }
        } else if text.contains(#""type":"ack""#) {
            guard let seq = Self.number(after: #""seq":"#, in: text), let at = sent.removeValue(forKey: seq) else { return }
            let latency = Double((NIODeadline.now() - at).nanoseconds) / 1e9
            let key = keyOfSeq.removeValue(forKey: seq)
            stats.state.withLockedValue { state in
                state.ackLatency.append(latency)
                if let key { state.acked.append((candidate, key, seq)) }
            }
        } else if text.contains(#""type":"handedIn""#) {
            let elapsed = handInSent.map { Double((NIODeadline.now() - $0).nanoseconds) / 1e9 }
            stats.state.withLockedValue { state in
                state.handedIn += 1
                if let elapsed { state.handIn.append(elapsed) }
            }
            saveTask?.cancel()
        } else if text.contains(#""type":"error""#) {
            let code = text.components(separatedBy: #""code":""#).dropFirst().first?.split(separator: "\"").first.map(String.init) ?? "unknown"
            stats.error("server:\(code)")
        }
    }

    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    private func send(_ text: String) {
        guard let context else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer)), promise: nil)
    }

    func save() {
        // Every 50th candidate (and anyone before the first has) opens its sealed paper, checking the
        // key works, and reads the keys of the single-choice items, which every presentation has at
        // the same positions; the others use those keys, so the client's cores are not spent opening
        // 10,000 papers.
        let needKeys = items.isEmpty && stats.state.withLockedValue { $0.sharedKeys.isEmpty }
        if let box = sealedBox, let key = paperKey, verify || needKeys {
            sealedBox = nil
            do {
                let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: box), using: SymmetricKey(data: key))
                paperText = String(decoding: opened, as: UTF8.self)
            } catch {
                stats.error("sealed_paper_does_not_open")
            }
        }
        if let paperText {
            // Single-choice items only, so that {"choice": "A"} fits every item saved.
            items = paperText.components(separatedBy: #""key":""#).dropFirst().filter { $0.contains(#""type":"single_choice""#) }
                .compactMap { $0.split(separator: "\"").first.map(String.init) }
            self.paperText = nil
            if !items.isEmpty { stats.state.withLockedValue { if $0.sharedKeys.isEmpty { $0.sharedKeys = items } } }
        }
        if items.isEmpty { items = stats.state.withLockedValue { $0.sharedKeys } }
        guard !items.isEmpty, handInSent == nil else { return }
        seq += 1
        let key = items[Int.random(in: 0..<items.count)]
        sent[seq] = .now()
        keyOfSeq[seq] = key
        // Any answer shape: a text answer is refused for choice items, so send a choice letter
        // that every option list has; the server checks it against the item.
        send(#"{"type":"save","seq":\#(seq),"item":"\#(key)","answer":{"choice":"A"}}"#)
    }

    func handIn() {
        guard handInSent == nil else { return }
        saveTask?.cancel()
        seq += 1
        handInSent = .now()
        send(#"{"type":"handIn","seq":\#(seq)}"#)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if Self.debug { print("xx \(candidate.prefix(8)) inactive", to: &standardError) }
        saveTask?.cancel()
        stats.state.withLockedValue { $0.connected -= 1 }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if Self.debug { print("!! \(candidate.prefix(8)) \(error)", to: &standardError) }
        stats.error("socket:\(type(of: error))")
        context.close(promise: nil)
    }
}

/// Sends the upgrade request once the HTTP handlers are in place.
final class UpgradeRequester: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    let host: String
    let path: String

    init(host: String, path: String) {
        self.host = host
        self.path = path
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
        // Its work is done; the WebSocket frames that follow are not for it.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

enum LoadClient {
    struct Ticket {
        var code: String
        var idNumber: String
        var candidate: String
    }

    static func post(_ url: URL, _ body: [String: Any], token: String? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = 120
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NSError(domain: "load", code: (response as? HTTPURLResponse)?.statusCode ?? 0, userInfo: [NSLocalizedDescriptionKey: String(decoding: data, as: UTF8.self)])
        }
        return object
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func serverUsage(_ pid: Int32?) -> (rssMiB: Double, cpuSeconds: Double)? {
        guard let pid, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = (fields.count > 13 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0)
        return (rss / 1024, ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    static func run(arguments: [String]) async throws {
        func value(_ name: String) -> String? { arguments.firstIndex(of: name).map { arguments[$0 + 1] } }
        let index = arguments.firstIndex(of: "--load")!
        let base = arguments[index + 1]
        let lines = try String(contentsOfFile: arguments[index + 2], encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: "\t")
        let sitting = String(header[1])
        let startsAt = ISO8601DateFormatter().date(from: String(header[2]))!
        let tickets = lines.dropFirst().map { line -> Ticket in
            let parts = line.split(separator: "\t").map(String.init)
            return Ticket(code: parts[0], idNumber: parts[1], candidate: parts[2])
        }
        let saveEvery = TimeAmount.milliseconds(Int64((Double(value("--save-every") ?? "10") ?? 10) * 1000))
        let answerFor = Double(value("--answer-for") ?? "30") ?? 30
        let concurrency = Int(value("--connect-concurrency") ?? "64") ?? 64
        let serverPID = value("--server-pid").flatMap { Int32($0) }
        let stats = LoadStats()
        let url = URL(string: base)!
        let host = "\(url.host!):\(url.port ?? 80)"
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let handlers = NIOLockedValueBox<[CandidateHandler]>([])

        // Sign in and connect, `concurrency` at a time.
        let signInStart = Date()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            var next = 0
            func add() {
                guard next < tickets.count else { return }
                let ticket = tickets[next]
                let verify = next % 50 == 0
                next += 1
                tasks.addTask {
                    do {
                        let login = try await post(url.appendingPathComponent("api/v1/sit/login"), ["ticket": ticket.code, "idNumber": ticket.idNumber])
                        let token = login["token"] as! String
                        let connect = try await post(url.appendingPathComponent("api/v1/sit/\(sitting)/connect"), [:], token: token)
                        let wsTicket = connect["wsTicket"] as! String
                        let handler = CandidateHandler(candidate: ticket.candidate, startsAt: startsAt, stats: stats, saveEvery: saveEvery, verify: verify)
                        try await connectSocket(group: group, host: url.host!, port: url.port ?? 80, authority: host, path: "/api/v1/sit/ws?ticket=\(wsTicket)", handler: handler)
                        handlers.withLockedValue { $0.append(handler) }
                    } catch {
                        let described = (error as NSError).localizedDescription.prefix(60)
                        stats.error("connect:\((error as NSError).code):\(described)")
                    }
                }
            }
            for _ in 0..<concurrency { add() }
            while try await tasks.next() != nil { add() }
        }
        let signInSeconds = Date().timeIntervalSince(signInStart)
        let usageBefore = serverUsage(serverPID)
        let connectedAtStart = stats.state.withLockedValue { $0.connected }
        print("signed in and connected \(connectedAtStart) of \(tickets.count) in \(String(format: "%.1f", signInSeconds)) s; start at \(startsAt)", to: &standardError)

        // Wait for the start, answer, then everyone hands in at once.
        let untilStart = startsAt.timeIntervalSinceNow
        if untilStart > 0 { try await Task.sleep(for: .seconds(untilStart)) }
        var peakRSS = usageBefore?.rssMiB ?? 0
        let answeringEnd = Date().addingTimeInterval(answerFor)
        while Date() < answeringEnd {
            try await Task.sleep(for: .seconds(1))
            peakRSS = max(peakRSS, serverUsage(serverPID)?.rssMiB ?? 0)
        }
        let usageMid = serverUsage(serverPID)
        let all = handlers.withLockedValue { $0 }
        let handInStart = Date()
        for handler in all {
            // On the channel's own event loop: a handler's state belongs to that thread.
            handler.eventLoop?.execute { handler.handIn() }
        }
        let expected = all.count
        while stats.state.withLockedValue({ $0.handedIn }) < expected, Date().timeIntervalSince(handInStart) < 60 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let handInSeconds = Date().timeIntervalSince(handInStart)
        let usageAfter = serverUsage(serverPID)
        peakRSS = max(peakRSS, usageAfter?.rssMiB ?? 0)

        let state = stats.state.withLockedValue { $0 }
        if let out = value("--out") {
            let text = state.acked.map { "\($0.candidate)\t\($0.item)\t\($0.seq)" }.joined(separator: "\n")
            try (text + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        let answeringCPU = usageMid.flatMap { mid in usageBefore.map { mid.cpuSeconds - $0.cpuSeconds } }
        let report: [String: Any] = [
            "candidates": tickets.count, "connected": connectedAtStart, "signInSeconds": signInSeconds,
            "firstQuestion": ["count": state.firstQuestion.count, "p50": percentile(state.firstQuestion, 0.5) ?? -1, "p99": percentile(state.firstQuestion, 0.99) ?? -1,
                              "max": state.firstQuestion.max() ?? -1],
            "acks": ["count": state.ackLatency.count, "perSecond": Double(state.ackLatency.count) / answerFor,
                     "p50": percentile(state.ackLatency, 0.5) ?? -1, "p99": percentile(state.ackLatency, 0.99) ?? -1, "p999": percentile(state.ackLatency, 0.999) ?? -1],
            "handIn": ["handedIn": state.handedIn, "seconds": handInSeconds, "p99": percentile(state.handIn, 0.99) ?? -1],
            "errors": state.errors, "serverPeakRSSMiB": peakRSS, "serverCPUSecondsAnswering": answeringCPU ?? -1, "answeringSeconds": answerFor,
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
        try await group.shutdownGracefully()
    }

    static func connectSocket(group: MultiThreadedEventLoopGroup, host: String, port: Int, authority: String, path: String, handler: CandidateHandler) async throws {
        let upgraded = group.next().makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(
                    maxFrameSize: 1 << 22,
                    upgradePipelineHandler: { channel, _ in
                        channel.pipeline.addHandler(handler).map { upgraded.succeed(()) }
                    }
                )
                let config: NIOHTTPClientUpgradeConfiguration = (upgraders: [upgrader], completionHandler: { _ in })
                // Frames the server sends in the same read as its 101 must reach the WebSocket decoder, not be dropped.
                return channel.pipeline.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes, withClientUpgrade: config).flatMap {
                    channel.pipeline.addHandler(UpgradeRequester(host: authority, path: path))
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        channel.closeFuture.whenComplete { _ in upgraded.fail(ChannelError.ioOnClosedChannel) }
        try await upgraded.futureResult.get()
    }
}

nonisolated(unsafe) var standardError = FileHandle.standardError

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
