import Crypto
import ExamCore
import Foundation

/// What the database keeps about the bank's keys: nothing that opens an item on its own.
///
/// The key-encryption key (KEK) is a P-256 key pair. Its public half is stored in clear, so items
/// can be sealed (written, imported) while the bank is sealed; its private half is stored only
/// wrapped under a key derived from the master secret, which exists only as custodians' shares.
public struct BankKeyRecord: Sendable, Equatable, Codable {
    /// Random identifier printed in every share, so a share of another bank is recognised.
    public var bankID: String
    public var threshold: Int
    public var custodians: Int
    /// The KEK's public key (X9.63).
    public var publicKey: Data
    /// The KEK's private key sealed with AES-256-GCM under HKDF(master secret).
    public var wrappedPrivateKey: Data
    /// Increases with every rotation; wrapped data keys record the version that wrapped them.
    public var kekVersion: Int

    public init(bankID: String, threshold: Int, custodians: Int, publicKey: Data, wrappedPrivateKey: Data, kekVersion: Int) {
        self.bankID = bankID
        self.threshold = threshold
        self.custodians = custodians
        self.publicKey = publicKey
        self.wrappedPrivateKey = wrappedPrivateKey
        self.kekVersion = kekVersion
    }

    /// The key that seals new item versions; usable while the bank is sealed.
    public func sealingKey() throws -> BankSealingKey {
        do {
            return BankSealingKey(
                bankID: bankID, kekVersion: kekVersion, publicKey: try P256.KeyAgreement.PublicKey(x963Representation: publicKey)
            )
        } catch {
            throw ExamError(.integrity, code: "bad_bank_key", message: "the bank's stored public key is damaged")
        }
    }
}

/// The public half of the KEK: wraps data keys, opens nothing.
public struct BankSealingKey: Sendable {
    public let bankID: String
    public let kekVersion: Int
    let publicKey: P256.KeyAgreement.PublicKey
}

/// The bank's private key-encryption key in memory. Whoever holds this value can read every item:
/// it is never written anywhere, and dropping it seals the bank again.
public struct UnsealedBankKey: Sendable {
    public let bankID: String
    public let kekVersion: Int
    let privateKey: P256.KeyAgreement.PrivateKey

    /// The sealing key of the same version.
    public var sealingKey: BankSealingKey {
        BankSealingKey(bankID: bankID, kekVersion: kekVersion, publicKey: privateKey.publicKey)
    }
}

/// Creating, unsealing and rotating the bank's keys.
public enum BankKeyCeremony {
    /// Creates a new bank key and splits its master secret among `custodians` with `threshold`.
    /// - Returns: the record to store and the shares to hand out, each shown once to its custodian.
    public static func create(custodians: Int, threshold: Int) throws -> (record: BankKeyRecord, shares: [CustodianShare], key: UnsealedBankKey) {
        guard (2...255).contains(custodians), (2...custodians).contains(threshold) else {
            throw ExamError.invalid("bad_threshold", "need at least 2 custodians and a threshold between 2 and the number of custodians")
        }
        var generator = SystemRandomNumberGenerator()
        let bankID = (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
        let master = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let kek = P256.KeyAgreement.PrivateKey()
        let wrapped = try wrapKEK(kek, master: master, bankID: bankID, version: 1)
        let shares = Shamir.split(master, count: custodians, threshold: threshold, using: &generator).map {
            CustodianShare(bankID: bankID, threshold: threshold, count: custodians, share: $0)
        }
        let record = BankKeyRecord(
            bankID: bankID, threshold: threshold, custodians: custodians, publicKey: kek.publicKey.x963Representation,
            wrappedPrivateKey: wrapped, kekVersion: 1
        )
        return (record, shares, UnsealedBankKey(bankID: bankID, kekVersion: 1, privateKey: kek))
    }

    /// Reconstructs the master secret from custodians' shares and opens the KEK.
    /// - Throws: `bad_share` (a share of another bank, duplicated, inconsistent), `too_few_shares`,
    ///   or `wrong_shares` when the shares do not reconstruct this bank's secret. Nothing is kept on failure.
    public static func unseal(_ record: BankKeyRecord, shares: [CustodianShare]) throws -> UnsealedBankKey {
        for share in shares where share.bankID != record.bankID {
            throw ExamError.invalid("bad_share", "share \(share.share.x) belongs to another bank (\(share.bankID), this bank is \(record.bankID))")
        }
        let distinct = Dictionary(shares.map { ($0.share.x, $0) }, uniquingKeysWith: { first, _ in first })
        guard distinct.count == shares.count else {
            throw ExamError.invalid("bad_share", "the same share was given twice")
        }
        guard shares.count >= record.threshold else {
            throw ExamError.invalid(
                "too_few_shares", "unsealing needs \(record.threshold) of the \(record.custodians) custodians' shares; \(shares.count) given"
            )
        }
        let master = Shamir.combine(shares.map(\.share))
        do {
            let box = try AES.GCM.SealedBox(combined: record.wrappedPrivateKey)
            let raw = try AES.GCM.open(box, using: wrappingKey(master: master, bankID: record.bankID), authenticating: aad(record.bankID, record.kekVersion))
            let kek = try P256.KeyAgreement.PrivateKey(rawRepresentation: raw)
            guard kek.publicKey.x963Representation == record.publicKey else { throw KeyMismatch() }
            return UnsealedBankKey(bankID: record.bankID, kekVersion: record.kekVersion, privateKey: kek)
        } catch {
            throw ExamError(.forbidden, code: "wrong_shares", message: "these shares do not open this bank: at least one is wrong")
        }
    }

    /// A new KEK for a rotation; the master secret (and so the shares) stay the same.
    public static func rotate(_ record: BankKeyRecord, shares: [CustodianShare]) throws -> (record: BankKeyRecord, key: UnsealedBankKey) {
        _ = try unseal(record, shares: shares)
        let master = Shamir.combine(shares.map(\.share))
        let kek = P256.KeyAgreement.PrivateKey()
        var next = record
        next.kekVersion += 1
        next.publicKey = kek.publicKey.x963Representation
        next.wrappedPrivateKey = try wrapKEK(kek, master: master, bankID: record.bankID, version: next.kekVersion)
        return (next, UnsealedBankKey(bankID: record.bankID, kekVersion: next.kekVersion, privateKey: kek))
    }

    /// The unwrapped private key does not belong to the stored public key.
    private struct KeyMismatch: Error {}

    private static func wrapKEK(_ kek: P256.KeyAgreement.PrivateKey, master: [UInt8], bankID: String, version: Int) throws -> Data {
        let raw = kek.rawRepresentation
        return try AES.GCM.seal(raw, using: wrappingKey(master: master, bankID: bankID), authenticating: aad(bankID, version)).combined!
    }

    private static func wrappingKey(master: [UInt8], bankID: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: master), salt: Data(bankID.utf8), info: Data("assay-bank-kek-wrap/1".utf8),
            outputByteCount: 32
        )
    }

    private static func aad(_ bankID: String, _ version: Int) -> Data { Data("assay-kek/1|\(bankID)|\(version)".utf8) }
}
