import ExamCore
import Foundation

/// The sitting's time, as the server keeps it: the scheduled start, the actual start, pauses,
/// extensions and downtime credit, from which every candidate's deadline follows. A value with no
/// I/O: the live sitting appends entries and stores them; anyone can recompute a deadline from them.
public struct TimeLedger: Sendable, Codable, Equatable {
    public enum Entry: Sendable, Codable, Equatable {
        /// The sitting started (the paper was released) at this moment.
        case started(at: Date)
        /// Time stopped for one candidate, or everyone when `candidate` is nil.
        case paused(at: Date, candidate: String?, reason: String)
        case resumed(at: Date, candidate: String?)
        /// Time added for one candidate (an accommodation, an incident) or everyone.
        case extended(seconds: Int, candidate: String?, reason: String, at: Date)
        /// The server was unavailable from `from` to `to`: given back to everyone.
        case downtime(from: Date, to: Date)
    }

    public var scheduledStart: Date
    public var durationSeconds: Int
    /// Entry is refused this long after the start.
    public var lateEntrySeconds: Int
    /// Hand-in is refused until this long after the start.
    public var earliestHandInSeconds: Int
    public private(set) var entries: [Entry]

    public init(scheduledStart: Date, durationSeconds: Int, lateEntrySeconds: Int, earliestHandInSeconds: Int, entries: [Entry] = []) {
        self.scheduledStart = scheduledStart
        self.durationSeconds = durationSeconds
        self.lateEntrySeconds = lateEntrySeconds
        self.earliestHandInSeconds = earliestHandInSeconds
        self.entries = entries
    }

    public mutating func append(_ entry: Entry) { entries.append(entry) }

    /// When the sitting actually started, if it has.
    public var start: Date? {
        for case .started(let at) in entries { return at }
        return nil
    }

    public var lateEntryCutoff: Date { (start ?? scheduledStart).addingTimeInterval(TimeInterval(lateEntrySeconds)) }
    public var earliestHandIn: Date? { start?.addingTimeInterval(TimeInterval(earliestHandInSeconds)) }

    /// Whether time is stopped for `candidate` at `now` (a sitting-wide or a personal pause is open).
    public func isPaused(_ candidate: String, at now: Date) -> Bool { openPause(candidate, at: now) }

    /// The pause holding `candidate` at `now` (their own, else the sitting's): since when and why.
    public func pause(of candidate: String, at now: Date) -> (since: Date, reason: String)? {
        var sitting: (Date, String)?
        var personal: (Date, String)?
        for entry in entries {
            switch entry {
            case .paused(let at, let who, let reason) where at <= now:
                if who == nil { sitting = sitting ?? (at, reason) } else if who == candidate { personal = personal ?? (at, reason) }
            case .resumed(let at, let who) where at <= now:
                if who == nil { sitting = nil } else if who == candidate { personal = nil }
            default: break
            }
        }
        return (personal ?? sitting).map { (since: $0.0, reason: $0.1) }
    }

    /// Whether a sitting-wide pause is open at `now`.
    public func isSittingPaused(at now: Date) -> Bool { openPause(nil, at: now) }

    /// Whether `candidate`'s own pause (not the sitting's) is open at `now`.
    public func isPersonallyPaused(_ candidate: String, at now: Date) -> Bool {
        var paused = false
        for entry in entries {
            switch entry {
            case .paused(let at, let who, _) where at <= now && who == candidate: paused = true
            case .resumed(let at, let who) where at <= now && who == candidate: paused = false
            default: break
            }
        }
        return paused
    }

    private func openPause(_ candidate: String?, at now: Date) -> Bool {
        var sittingPaused = false
        var personalPaused = false
        for entry in entries {
            switch entry {
            case .paused(let at, let who, _) where at <= now:
                if who == nil { sittingPaused = true } else if who == candidate { personalPaused = true }
            case .resumed(let at, let who) where at <= now:
                if who == nil { sittingPaused = false } else if who == candidate { personalPaused = false }
            default: break
            }
        }
        return sittingPaused || personalPaused
    }

    /// Seconds added for `candidate`.
    public func extensionSeconds(for candidate: String) -> Int {
        entries.reduce(0) { total, entry in
            if case .extended(let seconds, let who, _, _) = entry, who == nil || who == candidate { return total + seconds }
            return total
        }
    }

    /// The intervals in which `candidate`'s time stood still (pauses and downtime, merged), up to
    /// `now` for one still open.
    func frozen(for candidate: String, until now: Date) -> [ClosedRange<Date>] {
        var intervals: [ClosedRange<Date>] = []
        var sittingPause: Date?
        var personalPause: Date?
        for entry in entries {
            switch entry {
            case .paused(let at, let who, _):
                if who == nil, sittingPause == nil { sittingPause = at } else if who == candidate, personalPause == nil { personalPause = at }
            case .resumed(let at, let who):
                if who == nil, let from = sittingPause {
                    intervals.append(from...max(from, at))
                    sittingPause = nil
                } else if who == candidate, let from = personalPause {
                    intervals.append(from...max(from, at))
                    personalPause = nil
                }
            case .downtime(let from, let to):
                intervals.append(from...max(from, to))
            default: break
            }
        }
        for open in [sittingPause, personalPause].compactMap({ $0 }) where open <= now { intervals.append(open...now) }
        // Merge overlaps so that a pause during downtime is not given back twice.
        let sorted = intervals.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<Date>] = []
        for interval in sorted {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    /// `candidate`'s deadline as known at `now`: the start plus the duration and extensions, pushed
    /// back by every frozen interval that began before the deadline it pushes. Nil before the start.
    public func deadline(for candidate: String, at now: Date) -> Date? {
        guard let start else { return nil }
        var deadline = start.addingTimeInterval(TimeInterval(durationSeconds + extensionSeconds(for: candidate)))
        for interval in frozen(for: candidate, until: now) where interval.upperBound > start {
            let from = max(interval.lowerBound, start)
            guard from < deadline else { break }
            deadline = deadline.addingTimeInterval(interval.upperBound.timeIntervalSince(from))
        }
        return deadline
    }

    /// Seconds left for `candidate` at `now` (never negative); nil before the start.
    public func remaining(for candidate: String, at now: Date) -> TimeInterval? {
        deadline(for: candidate, at: now).map { max(0, $0.timeIntervalSince(now)) }
    }
}
