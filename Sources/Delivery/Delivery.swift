import ExamCore

/// The sitting runtime's pure parts: state machine, clock ledger, answer journal, wire messages.
/// Built by the delivery issue.
public enum DeliveryModule {
    public static let layer = "domain"
}
