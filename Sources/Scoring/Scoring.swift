import ExamCore

/// Objective scoring, practical marking and result composition.
public enum ScoringModule {
    public static let layer = "domain"
}
