import ExamCore

/// Objective scoring, practical marking and result composition. Built by the scoring issue.
public enum ScoringModule {
    public static let layer = "domain"
}
