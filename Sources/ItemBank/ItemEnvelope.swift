import COpenSSLCrypto
import Crypto
import ExamCore
import Foundation

/// An unwrapped data key of one item version. Opens that version's content: keep it only in memory.
public struct ItemDataKey: Sendable {
    let key: SymmetricKey
}

/// One item version as stored: ciphertext and its wrapped data key, never the plaintext.
public struct SealedItemVersion: Sendable, Equatable {
    /// AES-256-GCM combined box (nonce ‖ ciphertext ‖ tag) of the content's JSON.
    public var ciphertext: Data
    /// The version's data key, sealed to the bank KEK with HPKE (P-256, HKDF-SHA256, AES-256-GCM).
    public var wrappedKey: Data
    /// HPKE's encapsulated key for `wrappedKey`.
    public var encapsulatedKey: Data
    /// The KEK version that wrapped `wrappedKey`.
    public var kekVersion: Int

    public init(ciphertext: Data, wrappedKey: Data, encapsulatedKey: Data, kekVersion: Int) {
        self.ciphertext = ciphertext
        self.wrappedKey = wrappedKey
        self.encapsulatedKey = encapsulatedKey
        self.kekVersion = kekVersion
    }
}

/// Envelope encryption of item versions: each version has its own AES-256-GCM data key; the item
/// ID and version are authenticated with the ciphertext (and with the wrapped key), so a blob copied
/// onto another item or version fails to open. Sealing needs only the bank's public key.
public enum ItemEnvelope {
    static let suite = HPKE.Ciphersuite.P256_SHA256_AES_GCM_256
    static let info = Data("assay-item-dek/1".utf8)

    public static func seal(_ content: ItemContent, id: ItemID, version: Int, to bank: BankSealingKey) throws -> SealedItemVersion {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plaintext = try encoder.encode(content)
        let dataKey = SymmetricKey(size: .bits256)
        let box = try AES.GCM.seal(plaintext, using: dataKey, authenticating: contentAAD(id, version))
        let (wrapped, encapsulated) = try wrap(dataKey.withUnsafeBytes { Data($0) }, id: id, version: version, to: bank)
        return SealedItemVersion(ciphertext: box.combined!, wrappedKey: wrapped, encapsulatedKey: encapsulated, kekVersion: bank.kekVersion)
    }

    private static func wrap(_ rawKey: Data, id: ItemID, version: Int, to bank: BankSealingKey) throws -> (Data, Data) {
        var sender = try HPKE.Sender(recipientKey: bank.publicKey, ciphersuite: suite, info: info)
        let wrapped = try sender.seal(rawKey, authenticating: keyAAD(id, version, bank.kekVersion))
        return (wrapped, sender.encapsulatedKey)
    }

    private static func unwrap(_ sealed: SealedItemVersion, id: ItemID, version: Int, with bank: UnsealedBankKey) throws -> Data {
        var recipient = try HPKE.Recipient(privateKey: bank.privateKey, ciphersuite: suite, info: info, encapsulatedKey: sealed.encapsulatedKey)
        return try recipient.open(sealed.wrappedKey, authenticating: keyAAD(id, version, sealed.kekVersion))
    }

    /// Opens a sealed version.
    /// - Throws: `integrity_error` when the ciphertext, the wrapped key or their binding to this
    ///   item and version was changed; `stale_key` when the version was wrapped by another KEK version.
    public static func open(_ sealed: SealedItemVersion, id: ItemID, version: Int, with bank: UnsealedBankKey) throws -> ItemContent {
        try open(sealed, id: id, version: version, dataKey: try dataKey(of: sealed, id: id, version: version, with: bank))
    }

    /// Unwraps a version's data key (one HPKE open), for callers that cache data keys while unsealed.
    public static func dataKey(of sealed: SealedItemVersion, id: ItemID, version: Int, with bank: UnsealedBankKey) throws -> ItemDataKey {
        guard sealed.kekVersion == bank.kekVersion else {
            throw ExamError(.integrity, code: "stale_key", message: "item \(id) v\(version) is wrapped by key version \(sealed.kekVersion), the bank is at \(bank.kekVersion)")
        }
        do {
            return ItemDataKey(key: SymmetricKey(data: try unwrap(sealed, id: id, version: version, with: bank)))
        } catch {
            throw integrityError(id, version)
        }
    }

    /// Opens a sealed version with its already unwrapped data key (AES-256-GCM only).
    public static func open(_ sealed: SealedItemVersion, id: ItemID, version: Int, dataKey: ItemDataKey) throws -> ItemContent {
        try JSONDecoder().decode(ItemContent.self, from: try decrypt(sealed, id: id, version: version, dataKey: dataKey))
    }

    /// The content's JSON bytes: the AES-256-GCM open alone (what the decryption benchmark measures).
    ///
    /// Opened by the platform's libcrypto in one call rather than through swift-crypto's generic
    /// layers, which cost more than the cipher itself on a 1 KiB item; the box is the standard
    /// nonce ‖ ciphertext ‖ tag that swift-crypto sealed.
    public static func decrypt(_ sealed: SealedItemVersion, id: ItemID, version: Int, dataKey: ItemDataKey) throws -> Data {
        let box = sealed.ciphertext
        let overhead = 12 + 16
        guard box.count >= overhead, dataKey.key.bitCount == 256 else { throw integrityError(id, version) }
        let length = box.count - overhead
        // malloc'd and handed to Data without a copy or a zero fill (the open writes every byte).
        let output = UnsafeMutableRawBufferPointer(start: malloc(max(length, 1))!, count: max(length, 1))
        let result = withContentAAD(id, version) { aad in
            dataKey.key.withUnsafeBytes { key in
                box.withUnsafeBytes { box in
                    assay_aes256gcm_open(
                        key.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        box.baseAddress!.assumingMemoryBound(to: UInt8.self), box.count,
                        aad.baseAddress!, aad.count,
                        output.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    )
                }
            }
        }
        guard result == 1 else {
            free(output.baseAddress)
            if result == 0 { throw integrityError(id, version) }
            throw ExamError(.internalFailure, code: "crypto_failure", message: "the platform's libcrypto could not open item \(id) v\(version)")
        }
        return Data(bytesNoCopy: output.baseAddress!, count: length, deallocator: .free)
    }

    // MARK: Other sealed things (paper packages) under the same bank key

    /// Seals any plaintext with its own data key, wrapped to the bank KEK; `label` (e.g.
    /// `paper|PAPER-ID`) is authenticated with both, so a blob moved onto another record fails to open.
    public static func sealBlob(_ plaintext: Data, label: String, to bank: BankSealingKey) throws -> SealedItemVersion {
        let dataKey = SymmetricKey(size: .bits256)
        let box = try AES.GCM.seal(plaintext, using: dataKey, authenticating: Data("assay-blob/1|\(label)".utf8))
        var sender = try HPKE.Sender(recipientKey: bank.publicKey, ciphersuite: suite, info: info)
        let wrapped = try sender.seal(dataKey.withUnsafeBytes { Data($0) }, authenticating: blobKeyAAD(label, bank.kekVersion))
        return SealedItemVersion(ciphertext: box.combined!, wrappedKey: wrapped, encapsulatedKey: sender.encapsulatedKey, kekVersion: bank.kekVersion)
    }

    /// Opens what ``sealBlob(_:label:to:)`` sealed. - Throws: `integrity_error`, `stale_key`.
    public static func openBlob(_ sealed: SealedItemVersion, label: String, with bank: UnsealedBankKey) throws -> Data {
        guard sealed.kekVersion == bank.kekVersion else {
            throw ExamError(.integrity, code: "stale_key", message: "\(label) is wrapped by key version \(sealed.kekVersion), the bank is at \(bank.kekVersion)")
        }
        do {
            var recipient = try HPKE.Recipient(privateKey: bank.privateKey, ciphersuite: suite, info: info, encapsulatedKey: sealed.encapsulatedKey)
            let key = SymmetricKey(data: try recipient.open(sealed.wrappedKey, authenticating: blobKeyAAD(label, sealed.kekVersion)))
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed.ciphertext), using: key, authenticating: Data("assay-blob/1|\(label)".utf8))
        } catch {
            throw ExamError(.integrity, code: "integrity_error", message: "\(label) failed its integrity check: the stored data was altered or belongs to another record")
        }
    }

    /// Re-wraps a blob's data key under a rotated KEK; the ciphertext is untouched.
    public static func rewrapBlob(_ sealed: SealedItemVersion, label: String, from old: UnsealedBankKey, to new: UnsealedBankKey) throws -> SealedItemVersion {
        do {
            var recipient = try HPKE.Recipient(privateKey: old.privateKey, ciphersuite: suite, info: info, encapsulatedKey: sealed.encapsulatedKey)
            let rawKey = try recipient.open(sealed.wrappedKey, authenticating: blobKeyAAD(label, sealed.kekVersion))
            var sender = try HPKE.Sender(recipientKey: new.sealingKey.publicKey, ciphersuite: suite, info: info)
            let wrapped = try sender.seal(rawKey, authenticating: blobKeyAAD(label, new.kekVersion))
            return SealedItemVersion(ciphertext: sealed.ciphertext, wrappedKey: wrapped, encapsulatedKey: sender.encapsulatedKey, kekVersion: new.kekVersion)
        } catch {
            throw ExamError(.integrity, code: "integrity_error", message: "\(label)'s data key failed its integrity check")
        }
    }

    static func blobKeyAAD(_ label: String, _ kekVersion: Int) -> Data { Data("assay-blob-key/1|\(label)|\(kekVersion)".utf8) }

    static func integrityError(_ id: ItemID, _ version: Int) -> ExamError {
        ExamError(.integrity, code: "integrity_error", message: "item \(id) v\(version) failed its integrity check: the stored data was altered or belongs to another item")
    }

    /// Re-wraps a version's data key under a rotated KEK without touching the item's ciphertext.
    public static func rewrap(_ sealed: SealedItemVersion, id: ItemID, version: Int, from old: UnsealedBankKey, to new: UnsealedBankKey) throws -> SealedItemVersion {
        do {
            let rawKey = try unwrap(sealed, id: id, version: version, with: old)
            let (wrapped, encapsulated) = try wrap(rawKey, id: id, version: version, to: new.sealingKey)
            return SealedItemVersion(ciphertext: sealed.ciphertext, wrappedKey: wrapped, encapsulatedKey: encapsulated, kekVersion: new.kekVersion)
        } catch {
            throw ExamError(.integrity, code: "integrity_error", message: "item \(id) v\(version)'s data key failed its integrity check")
        }
    }

    static func contentAAD(_ id: ItemID, _ version: Int) -> Data { withContentAAD(id, version) { Data($0) } }

    /// Calls `body` with `assay-item/1|<item ID>|<version>` as UTF-8, built on the stack.
    static func withContentAAD<R>(_ id: ItemID, _ version: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let prefix = "assay-item/1|".utf8, identifier = id.rawValue.utf8, number = String(version).utf8
        let count = prefix.count + identifier.count + 1 + number.count
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            var index = buffer.startIndex
            for byte in prefix { buffer[index] = byte; index += 1 }
            for byte in identifier { buffer[index] = byte; index += 1 }
            buffer[index] = UInt8(ascii: "|"); index += 1
            for byte in number { buffer[index] = byte; index += 1 }
            return try body(UnsafeBufferPointer(buffer))
        }
    }
    static func keyAAD(_ id: ItemID, _ version: Int, _ kekVersion: Int) -> Data {
        Data("assay-dek/1|\(id.rawValue)|\(version)|\(kekVersion)".utf8)
    }
}
