import Accounts
import ExamCore
import Foundation
import NIOConcurrencyHelpers

/// Single-use, short-lived tickets that authenticate a WebSocket upgrade (a browser cannot send an
/// Authorization header with one). Issued from an authenticated API call, bound to its session.
final class WebSocketTickets: Sendable {
    struct Grant: Sendable {
        var account: AccountID
        var sessionHash: String
        var sitting: String
        var expires: Date
        /// Where the ticket was asked from (address, browser): the connection's, for the record.
        var client = ClientInfo(address: nil, device: nil)
    }

    static let lifetime: TimeInterval = 30
    private let grants = NIOLockedValueBox<[String: Grant]>([:])

    func issue(_ grant: Grant) -> String {
        // The same 256-bit base64url secret as a session token.
        let ticket = SessionToken.generate().secret
        grants.withLockedValue { grants in
            let now = Date()
            grants = grants.filter { $0.value.expires > now }
            grants[ticket] = grant
        }
        return ticket
    }

    /// Whether the ticket is valid now, without using it.
    func isValid(_ ticket: String, now: Date) -> Bool {
        grants.withLockedValue { $0[ticket].map { $0.expires > now } ?? false }
    }

    /// Uses the ticket: valid once.
    func redeem(_ ticket: String, now: Date) -> Grant? {
        grants.withLockedValue { grants in
            guard let grant = grants.removeValue(forKey: ticket), grant.expires > now else { return nil }
            return grant
        }
    }
}
