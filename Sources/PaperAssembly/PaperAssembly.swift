import ExamCore
import ItemBank

/// Paper assembly (组卷): blueprints, parallel forms, sealed papers. Built by the assembly issue.
public enum PaperAssemblyModule {
    public static let layer = "domain"
}
