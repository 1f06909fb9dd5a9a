import Audit
import ExamCore
import Foundation
import ItemBank
import Storage

/// The running server's bank key: sealed until custodians give enough shares, held in memory only.
///
/// Shares may arrive one at a time (each custodian at their own screen); they are kept in memory
/// until the threshold is reached, then the key is reconstructed and the shares dropped.
public actor BankVault {
    private let store: Store
    private let clock: any WallClock
    private var key: UnsealedBankKey?
    private var collected: [CustodianShare] = []
    private var contributors: [String] = []

    public init(store: Store, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    public struct Status: Sendable, Codable {
        public var initialised: Bool
        public var sealed: Bool
        public var bankID: String?
        public var threshold: Int?
        public var custodians: Int?
        public var keyVersion: Int?
        public var sharesCollected: Int
        public var items: Int
    }

    public func status() async throws -> Status {
        let record = try await store.items.bankKey()
        return Status(
            initialised: record != nil, sealed: key == nil, bankID: record?.bankID, threshold: record?.threshold,
            custodians: record?.custodians, keyVersion: record?.kekVersion, sharesCollected: collected.count,
            items: try await store.items.count()
        )
    }

    /// Adds custodians' shares; unseals once the threshold is reached.
    /// - Returns: the status after the shares were taken.
    /// - Throws: `bank_not_initialised`, `bad_share`, `wrong_shares` (then every collected share is dropped).
    public func submit(_ shares: [CustodianShare], by actor: String) async throws -> Status {
        guard let record = try await store.items.bankKey() else {
            throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet")
        }
        if key != nil { return try await status() }
        for share in shares {
            guard share.bankID == record.bankID else {
                throw ExamError.invalid("bad_share", "this share belongs to another bank (\(share.bankID), this bank is \(record.bankID))")
            }
            guard !collected.contains(where: { $0.share.x == share.share.x }) else {
                throw ExamError.invalid("bad_share", "share \(share.share.x) was already given")
            }
        }
        // All state changes happen before the first await: the actor may interleave another
        // custodian's submission at any suspension point.
        collected += shares
        contributors += Array(repeating: actor, count: shares.count)
        let collectedNow = collected.count
        var unsealedBy: [String]?
        if collected.count >= record.threshold {
            let given = collected
            let people = Set(contributors).sorted()
            collected = []
            contributors = []
            do {
                key = try BankKeyCeremony.unseal(record, shares: given)
            } catch {
                try await store.audit.append(AuditEvent(
                    actor: actor, action: "bank.unseal_failed", subject: "bank:\(record.bankID)",
                    payload: ["contributors": .array(people.map(JSONValue.string))]
                ))
                throw error
            }
            unsealedBy = people
        }
        try await store.audit.append(AuditEvent(
            actor: actor, action: "bank.share_given", subject: "bank:\(record.bankID)",
            payload: ["shares": .array(shares.map { .int(Int($0.share.x)) }), "collected": .int(collectedNow), "threshold": .int(record.threshold)]
        ))
        if let unsealedBy {
            try await store.audit.append(AuditEvent(
                actor: actor, action: "bank.unsealed", subject: "bank:\(record.bankID)",
                payload: ["contributors": .array(unsealedBy.map(JSONValue.string)), "keyVersion": .int(record.kekVersion)]
            ))
        }
        return try await status()
    }

    /// Drops the key and any collected shares.
    public func seal(by actor: String) async throws {
        let wasUnsealed = key != nil || !collected.isEmpty
        key = nil
        collected = []
        contributors = []
        if wasUnsealed {
            try await store.audit.append(AuditEvent(actor: actor, action: "bank.sealed", subject: "bank"))
        }
    }

    /// The key, for decrypting one item on behalf of a permitted reader.
    func unsealedKey() throws -> UnsealedBankKey {
        guard let key else {
            throw ExamError(.conflict, code: "bank_sealed", message: "the item bank is sealed; custodians must unseal it first")
        }
        return key
    }
}
