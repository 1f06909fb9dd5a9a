import Crypto
import ExamCore
import Foundation

/// One item version as stored: ciphertext and its wrapped data key, never the plaintext.
public struct SealedItemVersion: Sendable, Equatable {
    /// AES-256-GCM combined box (nonce ‖ ciphertext ‖ tag) of the content's JSON.
    public var ciphertext: Data
    /// The version's data key, sealed under the bank KEK.
    public var wrappedKey: Data
    /// The KEK version that wrapped `wrappedKey`.
    public var kekVersion: Int

    public init(ciphertext: Data, wrappedKey: Data, kekVersion: Int) {
        self.ciphertext = ciphertext
        self.wrappedKey = wrappedKey
        self.kekVersion = kekVersion
    }
}

/// Envelope encryption of item versions: each version has its own AES-256-GCM data key; the item
/// ID and version are authenticated with the ciphertext, so a blob copied onto another item or
/// version fails to open.
public enum ItemEnvelope {
    public static func seal(_ content: ItemContent, id: ItemID, version: Int, with bank: UnsealedBankKey) throws -> SealedItemVersion {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plaintext = try encoder.encode(content)
        let dataKey = SymmetricKey(size: .bits256)
        let box = try AES.GCM.seal(plaintext, using: dataKey, authenticating: contentAAD(id, version))
        let rawKey = dataKey.withUnsafeBytes { Data($0) }
        let wrapped = try AES.GCM.seal(rawKey, using: bank.kek, authenticating: keyAAD(id, version, bank.kekVersion))
        return SealedItemVersion(ciphertext: box.combined!, wrappedKey: wrapped.combined!, kekVersion: bank.kekVersion)
    }

    /// Opens a sealed version.
    /// - Throws: `integrity_error` when the ciphertext, the wrapped key or their binding to this
    ///   item and version was changed; `stale_key` when the version was wrapped by another KEK version.
    public static func open(_ sealed: SealedItemVersion, id: ItemID, version: Int, with bank: UnsealedBankKey) throws -> ItemContent {
        guard sealed.kekVersion == bank.kekVersion else {
            throw ExamError(.integrity, code: "stale_key", message: "item \(id) v\(version) is wrapped by key version \(sealed.kekVersion), the bank is at \(bank.kekVersion)")
        }
        let plaintext: Data
        do {
            let keyBox = try AES.GCM.SealedBox(combined: sealed.wrappedKey)
            let rawKey = try AES.GCM.open(keyBox, using: bank.kek, authenticating: keyAAD(id, version, sealed.kekVersion))
            let box = try AES.GCM.SealedBox(combined: sealed.ciphertext)
            plaintext = try AES.GCM.open(box, using: SymmetricKey(data: rawKey), authenticating: contentAAD(id, version))
        } catch {
            throw ExamError(.integrity, code: "integrity_error", message: "item \(id) v\(version) failed its integrity check: the stored data was altered or belongs to another item")
        }
        return try JSONDecoder().decode(ItemContent.self, from: plaintext)
    }

    /// Re-wraps a version's data key under a rotated KEK without touching the item's ciphertext.
    public static func rewrap(_ sealed: SealedItemVersion, id: ItemID, version: Int, from old: UnsealedBankKey, to new: UnsealedBankKey) throws -> SealedItemVersion {
        do {
            let keyBox = try AES.GCM.SealedBox(combined: sealed.wrappedKey)
            let rawKey = try AES.GCM.open(keyBox, using: old.kek, authenticating: keyAAD(id, version, sealed.kekVersion))
            let wrapped = try AES.GCM.seal(rawKey, using: new.kek, authenticating: keyAAD(id, version, new.kekVersion))
            return SealedItemVersion(ciphertext: sealed.ciphertext, wrappedKey: wrapped.combined!, kekVersion: new.kekVersion)
        } catch {
            throw ExamError(.integrity, code: "integrity_error", message: "item \(id) v\(version)'s data key failed its integrity check")
        }
    }

    static func contentAAD(_ id: ItemID, _ version: Int) -> Data { Data("assay-item/1|\(id.rawValue)|\(version)".utf8) }
    static func keyAAD(_ id: ItemID, _ version: Int, _ kekVersion: Int) -> Data {
        Data("assay-dek/1|\(id.rawValue)|\(version)|\(kekVersion)".utf8)
    }
}
