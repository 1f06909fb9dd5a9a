import ExamCore

/// The encrypted item bank (题库): item model, envelope encryption and custodian unseal.
///
/// Built by the item-bank issue; the target exists now so the layering is fixed from the start.
public enum ItemBankModule {
    /// The item bank depends on the core vocabulary and nothing above it.
    public static let layer = "domain"
}
