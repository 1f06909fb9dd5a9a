// `--echo-server --candidates N --start-in S --out TICKETS.tsv [--port P]`: the ceiling for the
// sitting load. A bare Hummingbird + hummingbird-websocket server, on the same stack and with the
// same shape of traffic as Assay's sitting (`--load` runs against it unchanged), but with none of
// the work: sign-in and connect answer at once with no password hashing, no database and no audit;
// a synthetic paper is sealed once and sent to everyone while they wait; at the start every socket
// gets the same pre-encoded key frame; a save is acknowledged at once (nothing is written), a
// hand-in is answered with a receipt of zeros. What Assay adds on top of this is the price of
// durability, checks and records. Prints `listening PORT` when ready; runs until killed.
import Crypto
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

enum EchoServer {
    /// The sockets waiting for the start.
    final class Hub: Sendable {
        let sinks = NIOLockedValueBox<[UUID: AsyncStream<String>.Continuation]>([:])
        let started = NIOLockedValueBox(false)
    }

    static func run(arguments: [String]) async throws {
        func value(_ name: String) -> String? { arguments.firstIndex(of: name).map { arguments[$0 + 1] } }
        let candidates = Int(value("--candidates") ?? "1000") ?? 1000
        let startIn = Double(value("--start-in") ?? "60") ?? 60
        let out = value("--out") ?? "echo-tickets.tsv"
        let port = Int(value("--port") ?? "0") ?? 0
        // A whole second, as the tickets file writes it.
        let startsAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + startIn).rounded(.up))
        let format = ISO8601DateFormatter()

        var lines = ["sitting\tECHO\t\(format.string(from: startsAt))"]
        for n in 0..<candidates { lines.append("ECHO\(n)\tID\(n)\t\(UUID().uuidString.lowercased())") }
        try lines.joined(separator: "\n").appending("\n").write(toFile: out, atomically: true, encoding: .utf8)

        // A paper of the real one's shape (70 single-choice items), sealed once.
        let items = (1...70).map { n in
            #"{"key":"Q\#(n)","options":[{"letter":"A","text":"选项甲"},{"letter":"B","text":"选项乙"},{"letter":"C","text":"选项丙"},{"letter":"D","text":"选项丁"}],"points":1,"section":"单选题","stem":"第\#(n)题：关于人工智能平台产品实现的一个问题，题干的长度与真实试题相近。","type":"single_choice"}"#
        }
        let paper = #"{"items":[\#(items.joined(separator: ","))],"type":"paper"}"#
        let key = SymmetricKey(size: .bits256)
        let box = try AES.GCM.seal(Data(paper.utf8), using: key).combined!
        let sealedFrame = #"{"algorithm":"AES-256-GCM","box":"\#(box.base64EncodedString())","type":"sealedPaper"}"#
        let keyFrame = #"{"key":"\#(key.withUnsafeBytes { Data($0) }.base64EncodedString())","type":"paperKey"}"#
        let hub = Hub()

        let router = Router()
        router.post("api/v1/sit/login") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"token":"echo"}"#))) }
        router.post("api/v1/sit/{id}/connect") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"wsTicket":"\#(UUID().uuidString)"}"#)))
        }
        let sockets = Router(context: BasicWebSocketRequestContext.self)
        sockets.ws("api/v1/sit/ws") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, _ in
            let id = UUID()
            let (stream, sink) = AsyncStream<String>.makeStream()
            try await outbound.write(.text(#"{"lastSeq":0,"state":"waiting","type":"welcome"}"#))
            let late = hub.started.withLockedValue { started in
                if !started { hub.sinks.withLockedValue { $0[id] = sink } }
                return started
            }
            if late { sink.yield(keyFrame) }
            try await outbound.write(.text(sealedFrame))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in stream {
                        if text.isEmpty {
                            try? await outbound.close(.normalClosure, reason: "handed in")
                            return
                        }
                        do { try await outbound.write(.text(text)) } catch { return }
                    }
                }
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 64 * 1024) {
                            guard case .text(let text) = message, let seq = CandidateHandler.number(after: #""seq":"#, in: text) else { continue }
                            sink.yield(#"{"seq":\#(seq),"type":"ack"}"#)
                            if text.contains(#""type":"handIn""#) {
                                sink.yield(#"{"receipt":{"answered":0,"items":70,"reason":"candidate","sha256":"0000000000000000000000000000000000000000000000000000000000000000"},"type":"handedIn"}"#)
                                sink.yield("")
                            }
                        }
                    } catch {}
                    sink.finish()
                }
                await group.next()
                group.cancelAll()
            }
            hub.sinks.withLockedValue { $0[id] = nil }
        }
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: sockets, configuration: .init(maxFrameSize: 64 * 1024)),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "echo"),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("listening \(channel.localAddress?.port ?? port)\n".utf8))
            }
        )
        let starter = Task {
            let wait = startsAt.timeIntervalSinceNow
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            let sinks = hub.started.withLockedValue { started in
                started = true
                return hub.sinks.withLockedValue { Array($0.values) }
            }
            for sink in sinks { sink.yield(keyFrame) }
        }
        try await app.runService()
        starter.cancel()
    }
}
