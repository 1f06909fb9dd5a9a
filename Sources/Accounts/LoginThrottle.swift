import ExamCore
import Foundation

/// Slows down password guessing per account and per client address.
///
/// After `threshold` consecutive failures a key is locked; each further failure doubles the lock
/// (from `baseLock` up to `maxLock`). A success clears the account's count, not the address's.
/// Failures older than `window` are forgotten. Locks are checked *before* any password is hashed,
/// so a locked attacker costs the server nothing. State is in memory: one node, reset on restart.
public final class LoginThrottle: @unchecked Sendable {
    public struct Policy: Sendable, Equatable {
        public var accountThreshold: Int
        public var addressThreshold: Int
        public var baseLock: TimeInterval
        public var maxLock: TimeInterval
        public var window: TimeInterval
        /// Entries kept at most; the stalest are dropped beyond this.
        public var capacity: Int

        public init(
            accountThreshold: Int = 5, addressThreshold: Int = 20, baseLock: TimeInterval = 30,
            maxLock: TimeInterval = 15 * 60, window: TimeInterval = 15 * 60, capacity: Int = 100_000
        ) {
            self.accountThreshold = accountThreshold
            self.addressThreshold = addressThreshold
            self.baseLock = baseLock
            self.maxLock = maxLock
            self.window = window
            self.capacity = capacity
        }
    }

    private struct Entry {
        var failures: Int
        var lastFailure: Date
        var lockedUntil: Date?
    }

    private enum Key: Hashable {
        case account(String)
        case address(String)
    }

    public let policy: Policy
    private let clock: any WallClock
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    public init(policy: Policy = Policy(), clock: any WallClock) {
        self.policy = policy
        self.clock = clock
    }

    /// Throws `too_many_attempts` (with seconds to wait) if either the account or the address is locked.
    public func checkAllowed(username: String, address: String?) throws {
        let now = clock.now()
        let wait = lock.withLock {
            keys(username: username, address: address).compactMap { key -> TimeInterval? in
                guard let until = entries[key]?.lockedUntil, until > now else { return nil }
                return until.timeIntervalSince(now)
            }.max()
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw ExamError(
                .throttled, code: "too_many_attempts",
                message: "too many failed attempts; try again in \(seconds) seconds", retryAfter: seconds
            )
        }
    }

    /// Records a failed attempt for the account name (whether or not it exists) and the address.
    public func recordFailure(username: String, address: String?) {
        let now = clock.now()
        lock.withLock {
            for key in keys(username: username, address: address) {
                var entry = entries[key] ?? Entry(failures: 0, lastFailure: now)
                if now.timeIntervalSince(entry.lastFailure) > policy.window { entry = Entry(failures: 0, lastFailure: now) }
                entry.failures += 1
                entry.lastFailure = now
                let threshold: Int
                switch key {
                case .account: threshold = policy.accountThreshold
                case .address: threshold = policy.addressThreshold
                }
                if entry.failures >= threshold {
                    let doublings = Double(min(entry.failures - threshold, 20))
                    entry.lockedUntil = now.addingTimeInterval(min(policy.baseLock * pow(2, doublings), policy.maxLock))
                }
                entries[key] = entry
            }
            if entries.count > policy.capacity { pruneLocked(now: now) }
        }
    }

    /// Clears the account's failures after a successful login.
    public func recordSuccess(username: String) {
        _ = lock.withLock { entries.removeValue(forKey: .account(username)) }
    }

    private func keys(username: String, address: String?) -> [Key] {
        [.account(username)] + (address.map { [.address($0)] } ?? [])
    }

    /// Drops forgotten entries, then the stalest ones if still over capacity. Caller holds the lock.
    private func pruneLocked(now: Date) {
        entries = entries.filter { now.timeIntervalSince($0.value.lastFailure) <= policy.window }
        if entries.count > policy.capacity {
            let stalest = entries.sorted { $0.value.lastFailure < $1.value.lastFailure }.prefix(entries.count - policy.capacity)
            for (key, _) in stalest { entries.removeValue(forKey: key) }
        }
    }
}
