import Foundation

/// Whether a candidate was watched throughout: the gaps between webcam snapshots (and from the
/// start of their sitting to the first, and from the last to the end) longer than the policy allows.
public enum CoverageAudit {
    public struct Gap: Sendable, Codable, Equatable {
        public var from: Date
        public var to: Date
        public var seconds: Int
    }

    /// - Parameters:
    ///   - snapshots: when snapshots were taken (any order; those outside the window are ignored).
    ///   - window: the candidate's time in the sitting (first connection after the start to hand-in, or now).
    ///   - maxGap: the longest tolerated gap in seconds.
    public static func gaps(snapshots: [Date], window: ClosedRange<Date>, maxGap: TimeInterval) -> [Gap] {
        let marks = [window.lowerBound] + snapshots.filter(window.contains).sorted() + [window.upperBound]
        var gaps: [Gap] = []
        for (from, to) in zip(marks, marks.dropFirst()) where to.timeIntervalSince(from) > maxGap {
            gaps.append(Gap(from: from, to: to, seconds: Int(to.timeIntervalSince(from).rounded(.up))))
        }
        return gaps
    }
}
