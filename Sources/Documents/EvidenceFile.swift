import Crypto
import ExamCore
import Foundation

/// A document a candidate hands in with an application (证明材料): its kind, its type as found in
/// its bytes (never as claimed by the browser), and the rules on size.
public enum EvidenceKind: String, Sendable, Codable, CaseIterable {
    /// 证件照, printed on the admission ticket.
    case photo
    /// 学历证明
    case education
    /// 职称证明
    case title
    /// 等级证书
    case certificate
    /// 培训学时证明
    case training
    case other

    public var chineseName: String {
        switch self {
        case .photo: "证件照"
        case .education: "学历证明"
        case .title: "职称证明"
        case .certificate: "等级证书"
        case .training: "培训学时证明"
        case .other: "其他材料"
        }
    }

    /// A photo must be an image; documents may also be PDF.
    public var allowedTypes: Set<EvidenceType> { self == .photo ? [.jpeg, .png] : Set(EvidenceType.allCases) }

    public var maximumBytes: Int { self == .photo ? 2 << 20 : 5 << 20 }
}

public enum EvidenceType: String, Sendable, Codable, CaseIterable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// What the bytes are, by their signature: `%PDF-`, the JPEG SOI marker followed by a marker,
    /// or the eight-byte PNG signature followed by an IHDR chunk. Anything else is nil.
    public static func sniff(_ data: Data) -> EvidenceType? {
        let bytes = [UInt8](data.prefix(16))
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF, (0xC0...0xFE).contains(bytes[3]) { return .jpeg }
        if bytes.count >= 16, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), Array(bytes[12..<16]) == Array("IHDR".utf8) {
            return .png
        }
        return nil
    }

    /// Accepts the declared media type with parameters and in any case (`image/PNG; q=1`), and the
    /// common alias `image/jpg`.
    public init?(declared: String) {
        let bare = declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if let type = EvidenceType(rawValue: bare) { self = type } else if bare == "image/jpg" || bare == "image/pjpeg" { self = .jpeg } else { return nil }
    }

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        }
    }
}

public enum EvidenceCheck {
    /// Checks an upload against its kind: not empty, within the size limit, one of the allowed
    /// types by content, and the declared type (when given) the same as the content's.
    /// - Throws: `empty_file`, `too_large` (413), `unsupported_type` (415) or `type_mismatch` (415), in Chinese and English.
    public static func check(_ data: Data, kind: EvidenceKind, declared: String?) throws -> EvidenceType {
        guard !data.isEmpty else { throw ExamError.invalid("empty_file", "文件为空 (the file is empty)") }
        guard data.count <= kind.maximumBytes else {
            throw ExamError(
                .tooLarge, code: "too_large",
                message: "\(kind.chineseName)不能超过 \(kind.maximumBytes >> 20) MB，此文件 \(String(format: "%.1f", Double(data.count) / 1_048_576)) MB (at most \(kind.maximumBytes >> 20) MiB)"
            )
        }
        let allowed = kind.allowedTypes.map(\.fileExtension).sorted().joined(separator: "/").uppercased()
        guard let found = EvidenceType.sniff(data), kind.allowedTypes.contains(found) else {
            throw ExamError(
                .unsupportedMediaType, code: "unsupported_type",
                message: "\(kind.chineseName)须为 \(allowed) 文件，此文件内容不是 (\(kind.rawValue) must be \(allowed); the content is not)"
            )
        }
        if let declared, !declared.isEmpty, declared.lowercased() != "application/octet-stream" {
            guard EvidenceType(declared: declared) == found else {
                throw ExamError(
                    .unsupportedMediaType, code: "type_mismatch",
                    message: "文件内容是 \(found.fileExtension.uppercased())，与声明的类型 \(declared) 不符 (the content is \(found.rawValue), not \(declared))"
                )
            }
        }
        return found
    }
}

/// The key that protects personal documents at rest, kept in the data directory's key folder
/// (owner-only), apart from the database. Each file is sealed under its own random key (AES-256-GCM),
/// and that key is sealed under this one; both bind the file's id and owner, so a box moved onto
/// another record does not open.
public struct PersonalDataKey: Sendable {
    let key: SymmetricKey

    public init(rawRepresentation: Data) throws {
        guard rawRepresentation.count == 32 else { throw ExamError(.integrity, code: "bad_personal_data_key", message: "the personal-data key must be 32 bytes") }
        key = SymmetricKey(data: rawRepresentation)
    }

    public static func generate() -> (key: PersonalDataKey, raw: Data) {
        let raw = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return (try! PersonalDataKey(rawRepresentation: raw), raw)
    }

    public struct Sealed: Sendable, Equatable {
        /// nonce ‖ ciphertext ‖ tag of the file under its own key.
        public var box: Data
        /// nonce ‖ ciphertext ‖ tag of the file key under the personal-data key.
        public var wrappedKey: Data

        public init(box: Data, wrappedKey: Data) {
            self.box = box
            self.wrappedKey = wrappedKey
        }
    }

    private static func context(id: String, owner: String) -> Data { Data("assay-evidence-v1\u{0}\(id)\u{0}\(owner)".utf8) }

    public func seal(_ plaintext: Data, id: String, owner: String) throws -> Sealed {
        let fileKey = SymmetricKey(size: .bits256)
        let context = Self.context(id: id, owner: owner)
        let box = try AES.GCM.seal(plaintext, using: fileKey, authenticating: context).combined!
        let wrapped = try fileKey.withUnsafeBytes { try AES.GCM.seal(Data($0), using: key, authenticating: context).combined! }
        return Sealed(box: box, wrappedKey: wrapped)
    }

    /// - Throws: `evidence_damaged` when either box fails to authenticate.
    public func open(_ sealed: Sealed, id: String, owner: String) throws -> Data {
        let context = Self.context(id: id, owner: owner)
        do {
            let raw = try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed.wrappedKey), using: key, authenticating: context)
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed.box), using: SymmetricKey(data: raw), authenticating: context)
        } catch {
            throw ExamError(.integrity, code: "evidence_damaged", message: "evidence \(id) does not open with this data directory's key (damaged or moved)")
        }
    }
}
