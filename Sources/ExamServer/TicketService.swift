import Accounts
import Documents
import ExamCore
import Foundation
import Storage

/// Admission tickets (准考证): issued when a sitting is published, printed by candidates (their own)
/// and exam administrators (a sitting's), and used with the ID number to sign in to the sitting.
public struct TicketService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]
    public let evidence: EvidenceService
    /// 考生须知, printed on every ticket.
    public let rules: [String]

    public init(store: Store, standards: [OccupationStandard], evidence: EvidenceService, rules: [String]) {
        self.store = store
        self.standards = standards
        self.evidence = evidence
        self.rules = rules
    }

    /// The bullet lines of `Exams/exam-rules.md`.
    public static func rules(examsDirectory: String) -> [String] {
        let path = (examsDirectory as NSString).appendingPathComponent("exam-rules.md")
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("- ") ? String(trimmed.dropFirst(2)) : nil
        }
        return lines.isEmpty ? ["考生须遵守考场纪律，服从监考人员管理。"] : lines
    }

    public struct TicketView: Sendable, Codable, Equatable {
        public struct Sitting: Sendable, Codable, Equatable {
            public var id: String
            public var occupation: String
            public var occupationName: String
            public var level: String
            public var direction: String?
            public var part: String
            public var partName: String
            public var startsAt: Date
            public var durationMinutes: Int
            public var venue: String
        }

        public struct Candidate: Sendable, Codable, Equatable {
            public var name: String
            public var idType: String
            public var idTypeName: String
            public var idNumber: String
            public var gender: String
        }

        public var code: String
        public var sitting: Sitting
        public var room: String
        public var seat: Int
        public var candidate: Candidate
        /// The candidate's latest photo (an evidence id), if any.
        public var photo: String?
        /// Where the candidate signs in; the QR code holds this address.
        public var loginURL: String
        public var qrSVG: String
        public var rules: [String]
    }

    public func mine(_ candidate: AccountID, baseURL: String) async throws -> [TicketView] {
        try await views(try await store.sittings.tickets(candidate: candidate), baseURL: baseURL)
    }

    /// - Throws: `not_found`; `not_published` when the sitting has no tickets yet.
    public func ofSitting(_ id: String, baseURL: String) async throws -> [TicketView] {
        guard let sitting = try await store.sittings.sitting(id: id) else { throw ExamError(.notFound, code: "not_found", message: "no sitting \(id)") }
        guard sitting.status == .published else {
            throw ExamError(.conflict, code: "not_published", message: "场次 \(id) 尚未发布，发布后才生成准考证 (tickets are issued when the sitting is published)")
        }
        return try await views(try await store.sittings.tickets(sitting: id), baseURL: baseURL)
    }

    /// The sign-in address for a ticket: the sitting page with the code, so scanning the QR code
    /// opens it with the code filled in.
    public static func loginURL(code: String, baseURL: String) -> String {
        "\(baseURL)/sit.html?ticket=\(code)"
    }

    private func views(_ tickets: [TicketRecord], baseURL: String) async throws -> [TicketView] {
        var sittings: [String: SittingRecord] = [:]
        var views: [TicketView] = []
        for ticket in tickets {
            if sittings[ticket.sittingID] == nil { sittings[ticket.sittingID] = try await store.sittings.sitting(id: ticket.sittingID) }
            guard let sitting = sittings[ticket.sittingID], let identity = try await store.applications.identity(of: ticket.candidate) else { continue }
            let url = Self.loginURL(code: ticket.code, baseURL: baseURL)
            views.append(
                TicketView(
                    code: ticket.code,
                    sitting: .init(
                        id: sitting.id, occupation: sitting.occupation.rawValue,
                        occupationName: standards.first { $0.code == sitting.occupation }?.name ?? sitting.occupation.rawValue,
                        level: sitting.level.rawValue, direction: sitting.direction, part: sitting.part.rawValue, partName: sitting.part.chineseName,
                        startsAt: sitting.startsAt, durationMinutes: sitting.durationMinutes, venue: sitting.venue
                    ),
                    room: ticket.room, seat: ticket.seat,
                    candidate: .init(
                        name: identity.name, idType: identity.idType.rawValue, idTypeName: identity.idType.chineseName, idNumber: identity.idNumber,
                        gender: identity.gender.rawValue
                    ),
                    photo: try await evidence.photo(of: ticket.candidate)?.id,
                    loginURL: url, qrSVG: try QRCode(url).svg(title: "准考证 \(ticket.code)"), rules: rules
                )
            )
        }
        return views
    }
}
