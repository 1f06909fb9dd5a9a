import ExamCore
import Foundation

/// Slows down password guessing per account and per client address.
///
/// After `threshold` consecutive failures a key is locked; each further failure doubles the lock
/// (from `baseLock` up to `maxLock`). A success clears the account's count, not the address's.
/// Failures older than `window` are forgotten.
///
/// An attempt is *reserved* before its password is hashed (``begin(username:address:)``) and
/// settled after (``finish(_:succeeded:)``): attempts in flight count against the threshold, so a
/// burst of parallel guesses cannot slip past the lock while the first ones are still hashing.
/// Locks are checked before any hashing, so a locked attacker costs the server nothing.
/// State is in memory: one node, reset on restart.
public final class LoginThrottle: @unchecked Sendable {
    public struct Policy: Sendable, Equatable {
        public var accountThreshold: Int
        public var addressThreshold: Int
        public var baseLock: TimeInterval
        public var maxLock: TimeInterval
        public var window: TimeInterval
        /// Entries kept at most; beyond it, forgotten and then the stalest unlocked entries are dropped.
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

    /// A reserved login attempt; settle it with ``finish(_:succeeded:)`` exactly once.
    public struct Attempt: Sendable {
        fileprivate let keys: [Key]
    }

    private struct Entry {
        var failures = 0
        var pending = 0
        var lastFailure: Date
        var lockedUntil: Date?
    }

    fileprivate enum Key: Hashable, Sendable {
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

    /// Reserves an attempt for the account name (whether or not it exists) and the address.
    /// - Throws: `too_many_attempts` (with seconds to wait) if either is locked, or if failures plus
    ///   attempts in flight already reach the threshold.
    public func begin(username: String, address: String?) throws -> Attempt {
        let now = clock.now()
        let keys = Self.keys(username: username, address: address)
        let wait: TimeInterval? = lock.withLock {
            var wait: TimeInterval?
            for key in keys {
                var entry = entries[key] ?? Entry(lastFailure: now)
                if now.timeIntervalSince(entry.lastFailure) > policy.window && entry.lockedUntil.map({ $0 <= now }) ?? true {
                    entry.failures = 0
                    entry.lockedUntil = nil
                }
                if let until = entry.lockedUntil, until > now {
                    wait = max(wait ?? 0, until.timeIntervalSince(now))
                } else if entry.pending >= max(1, threshold(key) - entry.failures) {
                    // In flight already: as many attempts as failures are still allowed before the
                    // lock, or one at a time once a lock has passed.
                    wait = max(wait ?? 0, 1)
                }
                entries[key] = entry
            }
            if wait == nil {
                for key in keys { entries[key]?.pending += 1 }
            }
            return wait
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw ExamError(
                .throttled, code: "too_many_attempts",
                message: "too many failed attempts; try again in \(seconds) seconds", retryAfter: seconds
            )
        }
        return Attempt(keys: keys)
    }

    /// Settles a reserved attempt: a failure counts (and may lock); a success clears the account.
    public func finish(_ attempt: Attempt, succeeded: Bool) {
        let now = clock.now()
        lock.withLock {
            for key in attempt.keys {
                guard var entry = entries[key] else { continue }
                entry.pending = max(0, entry.pending - 1)
                if succeeded {
                    if case .account = key { entry.failures = 0 }
                } else {
                    entry.failures += 1
                    entry.lastFailure = now
                    let threshold = threshold(key)
                    if entry.failures >= threshold {
                        let doublings = Double(min(entry.failures - threshold, 20))
                        entry.lockedUntil = now.addingTimeInterval(min(policy.baseLock * pow(2, doublings), policy.maxLock))
                    }
                }
                if entry.failures == 0 && entry.pending == 0 && entry.lockedUntil == nil {
                    entries.removeValue(forKey: key)
                } else {
                    entries[key] = entry
                }
            }
            if entries.count > policy.capacity { pruneLocked(now: now) }
        }
    }

    /// Releases a reserved attempt without counting it (the server, not the caller, failed).
    public func cancel(_ attempt: Attempt) {
        lock.withLock {
            for key in attempt.keys {
                guard var entry = entries[key] else { continue }
                entry.pending = max(0, entry.pending - 1)
                if entry.failures == 0 && entry.pending == 0 && entry.lockedUntil == nil {
                    entries.removeValue(forKey: key)
                } else {
                    entries[key] = entry
                }
            }
        }
    }

    /// The number of keys tracked (for tests and metrics).
    public var trackedKeys: Int { lock.withLock { entries.count } }

    private func threshold(_ key: Key) -> Int {
        switch key {
        case .account: policy.accountThreshold
        case .address: policy.addressThreshold
        }
    }

    private static func keys(username: String, address: String?) -> [Key] {
        [.account(username)] + (address.map { [.address(networkKey($0))] } ?? [])
    }

    /// IPv6 clients are keyed by their /64 network (one subscriber usually holds a whole /64).
    static func networkKey(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var groups = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let gap = groups.firstIndex(of: ""), groups.count < 8 {
            groups.replaceSubrange(gap...gap, with: Array(repeating: "0", count: 8 - groups.count + 1))
        }
        return groups.prefix(4).joined(separator: ":") + "::/64"
    }

    /// Drops forgotten entries, then the stalest unlocked idle ones down to 90% of capacity.
    /// Entries with a lock in force or an attempt in flight are never dropped. Caller holds the lock.
    private func pruneLocked(now: Date) {
        func removable(_ entry: Entry) -> Bool {
            entry.pending == 0 && (entry.lockedUntil.map { $0 <= now } ?? true)
        }
        entries = entries.filter { !removable($0.value) || now.timeIntervalSince($0.value.lastFailure) <= policy.window }
        let target = policy.capacity * 9 / 10
        if entries.count > target {
            let stalest = entries.filter { removable($0.value) }.sorted { $0.value.lastFailure < $1.value.lastFailure }
                .prefix(entries.count - target)
            for (key, _) in stalest { entries.removeValue(forKey: key) }
        }
    }
}
