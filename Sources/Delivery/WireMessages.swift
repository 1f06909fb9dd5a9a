import ExamCore
import Foundation
import ItemBank

/// Protocol version 1 (docs/PROTOCOL.md): what a candidate's client may send.
public enum ClientMessage: Sendable, Equatable {
    case save(seq: Int, item: String, answer: Answer?)
    case flag(seq: Int, item: String, flagged: Bool)
    case handIn(seq: Int)
    case event(seq: Int, kind: ProctorEventKind, detail: String?)
    case ping(t: Double)

    public var seq: Int? {
        switch self {
        case .save(let seq, _, _), .flag(let seq, _, _), .handIn(let seq), .event(let seq, _, _): seq
        case .ping: nil
        }
    }

    public enum ParseError: Error, Equatable {
        /// Not a JSON object, a field missing or of the wrong kind, a seq not positive.
        case bad(String, seq: Int?)
        case unknownType(String)
    }

    /// Parses one text frame, naming what is wrong.
    public static func parse(_ text: String) throws(ParseError) -> ClientMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .bad("not a JSON object", seq: nil)
        }
        guard let type = object["type"] as? String else { throw .bad("no type", seq: nil) }
        let seq = (object["seq"] as? NSNumber).flatMap { number -> Int? in
            let value = number.doubleValue
            return value == value.rounded() && value >= 1 && value < 9e15 ? Int(value) : nil
        }
        func requireSeq() throws(ParseError) -> Int {
            guard let seq else { throw .bad("\(type) needs seq, a positive whole number", seq: nil) }
            return seq
        }
        func item() throws(ParseError) -> String {
            guard let item = object["item"] as? String, !item.isEmpty, item.count <= 32 else { throw .bad("\(type) needs item", seq: seq) }
            return item
        }
        switch type {
        case "save":
            let seq = try requireSeq()
            let item = try item()
            guard object.keys.contains("answer") else { throw .bad("save needs answer (null clears)", seq: seq) }
            if object["answer"] is NSNull { return .save(seq: seq, item: item, answer: nil) }
            guard let raw = object["answer"], JSONSerialization.isValidJSONObject(raw),
                let data = try? JSONSerialization.data(withJSONObject: raw), let answer = try? JSONDecoder().decode(Answer.self, from: data)
            else { throw .bad("answer has exactly one of choice, choices, value, blanks, text", seq: seq) }
            return .save(seq: seq, item: item, answer: answer)
        case "flag":
            let seq = try requireSeq()
            let item = try item()
            guard let flagged = object["flagged"] as? Bool else {
                throw .bad("flag needs flagged: true or false", seq: seq)
            }
            return .flag(seq: seq, item: item, flagged: flagged)
        case "handIn":
            return .handIn(seq: try requireSeq())
        case "event":
            let seq = try requireSeq()
            guard let raw = object["kind"] as? String, let kind = ProctorEventKind(rawValue: raw) else {
                throw .bad("event kind must be one of \(ProctorEventKind.allCases.map(\.rawValue).joined(separator: ", "))", seq: seq)
            }
            let detail = (object["detail"] as? String).map { String($0.prefix(500)) }
            return .event(seq: seq, kind: kind, detail: detail)
        case "ping":
            return .ping(t: (object["t"] as? NSNumber)?.doubleValue ?? 0)
        default:
            throw .unknownType(type)
        }
    }
}

/// What the server sends (docs/PROTOCOL.md §3), encoded with sorted keys and ISO 8601 times with milliseconds.
public enum ServerMessage: Sendable {
    public struct SittingInfo: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var part: String
        public var durationMinutes: Int
        public var scheduledStart: Date
        public var lateEntryCutoff: Date
        public var earliestHandInMinutes: Int

        public init(id: String, title: String, part: String, durationMinutes: Int, scheduledStart: Date, lateEntryCutoff: Date, earliestHandInMinutes: Int) {
            self.id = id
            self.title = title
            self.part = part
            self.durationMinutes = durationMinutes
            self.scheduledStart = scheduledStart
            self.lateEntryCutoff = lateEntryCutoff
            self.earliestHandInMinutes = earliestHandInMinutes
        }
    }

    public struct CandidateInfo: Sendable, Codable, Equatable {
        public var name: String
        public var room: String
        public var seat: Int

        public init(name: String, room: String, seat: Int) {
            self.name = name
            self.room = room
            self.seat = seat
        }
    }

    public struct Time: Sendable, Codable, Equatable {
        public var serverTime: Date
        public var state: String
        public var startsAt: Date
        public var deadline: Date?
        public var remainingSeconds: Double?
        public var earliestHandIn: Date?
        public var reason: String?

        public init(serverTime: Date, state: String, startsAt: Date, deadline: Date?, remainingSeconds: Double?, earliestHandIn: Date?, reason: String?) {
            self.serverTime = serverTime
            self.state = state
            self.startsAt = startsAt
            self.deadline = deadline
            self.remainingSeconds = remainingSeconds
            self.earliestHandIn = earliestHandIn
            self.reason = reason
        }
    }

    /// What the client's proctoring does: a webcam snapshot every `snapshotIntervalSeconds` (upload at most `snapshotMaxBytes`).
    public struct Proctoring: Sendable, Codable, Equatable {
        public var snapshotIntervalSeconds: Int
        public var snapshotMaxBytes: Int

        public init(snapshotIntervalSeconds: Int, snapshotMaxBytes: Int) {
            self.snapshotIntervalSeconds = snapshotIntervalSeconds
            self.snapshotMaxBytes = snapshotMaxBytes
        }
    }

    case welcome(
        sitting: SittingInfo, candidate: CandidateInfo, state: String, lastSeq: Int, answers: [String: Answer], flags: [String], time: Time, receipt: Receipt?,
        serverTime: Date, proctoring: Proctoring
    )
    case paper([DeliveredPaper.Item])
    case time(Time)
    case ack(seq: Int)
    case error(code: String, message: String, seq: Int?)
    case warning(text: String, at: Date)
    case handedIn(Receipt)
    case pong(t: Double, serverTime: Date)
    /// The candidate's `paper` message, AES-256-GCM sealed under the sitting key, sent while waiting.
    case sealedPaper(box: Data)
    /// The sitting key, at the start: opens every `sealedPaper`.
    case paperKey(Data)

    private struct Welcome: Encodable {
        let type = "welcome", `protocol` = 1
        let sitting: SittingInfo, candidate: CandidateInfo, state: String, lastSeq: Int, answers: [String: Answer], flags: [String], time: Time
        let receipt: Receipt?, serverTime: Date, proctoring: Proctoring
    }
    private struct Paper: Encodable { let type = "paper", items: [DeliveredPaper.Item] }
    private struct TimeMessage: Encodable {
        let type = "time"
        let time: Time
        func encode(to encoder: any Encoder) throws {
            try time.encode(to: encoder)
            var container = encoder.container(keyedBy: TypeKey.self)
            try container.encode(type, forKey: .type)
        }
    }
    private enum TypeKey: String, CodingKey { case type }
    private struct Ack: Encodable { let type = "ack", seq: Int }
    private struct ErrorMessage: Encodable { let type = "error", code: String, message: String, seq: Int? }
    private struct Warning: Encodable { let type = "warning", text: String, at: Date }
    private struct HandedIn: Encodable { let type = "handedIn", receipt: Receipt }
    private struct Pong: Encodable { let type = "pong", t: Double, serverTime: Date }
    private struct SealedPaper: Encodable { let type = "sealedPaper", algorithm = "AES-256-GCM", box: String }
    private struct PaperKey: Encodable { let type = "paperKey", key: String }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
        }
        return encoder
    }()

    /// The frame's text.
    public func json() -> String {
        let encoder = Self.encoder
        let data: Data?
        switch self {
        case .welcome(let sitting, let candidate, let state, let lastSeq, let answers, let flags, let time, let receipt, let serverTime, let proctoring):
            data = try? encoder.encode(Welcome(
                sitting: sitting, candidate: candidate, state: state, lastSeq: lastSeq, answers: answers, flags: flags, time: time, receipt: receipt,
                serverTime: serverTime, proctoring: proctoring
            ))
        case .paper(let items): data = try? encoder.encode(Paper(items: items))
        case .time(let time): data = try? encoder.encode(TimeMessage(time: time))
        case .ack(let seq): data = try? encoder.encode(Ack(seq: seq))
        case .error(let code, let message, let seq): data = try? encoder.encode(ErrorMessage(code: code, message: message, seq: seq))
        case .warning(let text, let at): data = try? encoder.encode(Warning(text: text, at: at))
        case .handedIn(let receipt): data = try? encoder.encode(HandedIn(receipt: receipt))
        case .pong(let t, let serverTime): data = try? encoder.encode(Pong(t: t, serverTime: serverTime))
        case .sealedPaper(let box): data = try? encoder.encode(SealedPaper(box: box.base64EncodedString()))
        case .paperKey(let key): data = try? encoder.encode(PaperKey(key: key.base64EncodedString()))
        }
        return String(decoding: data ?? Data(#"{"type":"error","code":"internal_error","message":"encoding failed","seq":null}"#.utf8), as: UTF8.self)
    }
}
