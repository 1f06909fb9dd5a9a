import ExamCore

/// Certificate numbering, issuance, signing and verification. Built by the certificates issue.
public enum CertificatesModule {
    public static let layer = "domain"
}
