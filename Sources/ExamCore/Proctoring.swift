import Foundation

/// What a candidate's browser reports (docs/PROTOCOL.md §4).
public enum ProctorEventKind: String, Sendable, Codable, CaseIterable {
    case visibilityHidden = "visibility_hidden"
    case visibilityVisible = "visibility_visible"
    case windowBlur = "window_blur"
    case windowFocus = "window_focus"
    case fullscreenExit = "fullscreen_exit"
    case copy, paste
    case contextMenu = "context_menu"
    case offline, online
    /// The candidate refused the camera, or the browser has none.
    case cameraDenied = "camera_denied"
    case cameraMissing = "camera_missing"
}

/// How a sitting is watched: how often the camera takes a snapshot, how long a gap in snapshots
/// the coverage audit tolerates, and what the server does when a candidate's events reach a count.
/// Read from `Exams/proctoring/policy.yaml` (defaults when absent); the same for every sitting.
public struct ProctoringPolicy: Sendable, Equatable, Codable {
    /// What the server does when a rule's count is reached.
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Sends the rule's message to the candidate as a warning and records it.
        case warn
        /// Records an incident on the invigilators' dashboard, says nothing to the candidate.
        case incident
    }

    /// Every `count` events of `events` by one candidate (the count-th, the 2×count-th, …) fire the action.
    public struct Rule: Sendable, Equatable, Codable {
        public var events: [ProctorEventKind]
        public var count: Int
        public var action: Action
        /// The warning shown to the candidate (`warn`), or the incident's description.
        public var message: String

        public init(events: [ProctorEventKind], count: Int, action: Action, message: String) {
            self.events = events
            self.count = count
            self.action = action
            self.message = message
        }
    }

    /// A webcam snapshot this often while answering.
    public var snapshotIntervalSeconds: Int
    /// Largest snapshot accepted (JPEG).
    public var snapshotMaxBytes: Int
    /// A candidate with a longer gap between snapshots (or from the start to the first, or from the last to the hand-in) is flagged by the coverage audit.
    public var coverageGapSeconds: Int
    public var rules: [Rule]

    public init(snapshotIntervalSeconds: Int, snapshotMaxBytes: Int, coverageGapSeconds: Int, rules: [Rule]) {
        self.snapshotIntervalSeconds = snapshotIntervalSeconds
        self.snapshotMaxBytes = snapshotMaxBytes
        self.coverageGapSeconds = coverageGapSeconds
        self.rules = rules
    }

    /// Used when `Exams/proctoring/policy.yaml` is absent.
    public static let standard = ProctoringPolicy(
        snapshotIntervalSeconds: 60, snapshotMaxBytes: 512 * 1024, coverageGapSeconds: 180,
        rules: [
            Rule(events: [.visibilityHidden, .windowBlur], count: 3, action: .warn,
                 message: "系统多次检测到你离开考试页面，请专注作答；离开记录将提交监考人员。"),
            Rule(events: [.fullscreenExit], count: 3, action: .warn, message: "请保持全屏作答；退出全屏已被记录。"),
            Rule(events: [.copy, .paste], count: 1, action: .incident, message: "复制或粘贴操作"),
            Rule(events: [.cameraDenied, .cameraMissing], count: 1, action: .incident, message: "摄像头不可用，没有监考画面"),
        ]
    )

    /// Every problem with the policy (empty: usable).
    public func problems() -> [String] {
        var problems: [String] = []
        if !(10...3600).contains(snapshotIntervalSeconds) { problems.append("snapshot_interval_seconds: must be 10 to 3600") }
        if !(16 * 1024...4 * 1024 * 1024).contains(snapshotMaxBytes) { problems.append("snapshot_max_kib: must be 16 to 4096") }
        if coverageGapSeconds < snapshotIntervalSeconds {
            problems.append("coverage_gap_seconds: must be at least snapshot_interval_seconds (\(snapshotIntervalSeconds))")
        }
        for (index, rule) in rules.enumerated() {
            if rule.events.isEmpty { problems.append("rules[\(index)].events: name at least one event") }
            if !(1...1000).contains(rule.count) { problems.append("rules[\(index)].count: must be 1 to 1000") }
            let message = rule.message.trimmingCharacters(in: .whitespacesAndNewlines)
            if message.isEmpty || message.count > 200 { problems.append("rules[\(index)].message: 1 to 200 characters") }
        }
        return problems
    }

    /// The rules that fire when `kind` brings a candidate's count of it (and its rule's other kinds) to `counts`.
    /// - Parameter counts: the candidate's events by kind, including the one just recorded.
    public func fired(by kind: ProctorEventKind, counts: [ProctorEventKind: Int]) -> [Rule] {
        rules.filter { rule in
            guard rule.events.contains(kind) else { return false }
            let total = rule.events.reduce(0) { $0 + (counts[$1] ?? 0) }
            return total > 0 && total % rule.count == 0
        }
    }
}

/// The outcome of a misconduct decision, in rising severity (DOMAIN.md "Misconduct outcomes").
public enum MisconductTier: String, Sendable, Codable, CaseIterable {
    /// 警告: recorded, the candidate warned.
    case warning
    /// 扣分: points taken off the part's score.
    case deduction
    /// 本科目成绩无效: the part (subject) voided.
    case subjectVoid = "subject_void"
    /// 全部成绩无效: the whole sitting voided.
    case sittingVoid = "sitting_void"
    /// 成绩无效并禁考: voided and barred for some years.
    case ban

    public var chineseName: String {
        switch self {
        case .warning: "警告"
        case .deduction: "扣分"
        case .subjectVoid: "本科目成绩无效"
        case .sittingVoid: "本场次成绩无效"
        case .ban: "成绩无效并禁考"
        }
    }

    /// Whether the decision ends the candidate's sitting (the attempt is handed in as terminated).
    public var ends: Bool { self == .subjectVoid || self == .sittingVoid || self == .ban }
}
