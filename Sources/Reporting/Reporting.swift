import ExamCore
import Scoring

/// Regulator tables, deadlines, exports and retention. Built by the reporting issue.
public enum ReportingModule {
    public static let layer = "domain"
}
