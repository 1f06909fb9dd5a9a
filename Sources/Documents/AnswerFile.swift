import ExamCore
import Foundation

/// A file a candidate hands in with a practical task (a report, a screenshot, a project archive,
/// a source or log file): its type as found in its bytes, which must be the type declared.
public enum AnswerFileType: String, Sendable, Codable, CaseIterable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"
    case zip = "application/zip"
    case text = "text/plain"

    /// Largest file accepted.
    public static let maximumBytes = 10 << 20

    /// The declared media type, parameters and case ignored; common aliases accepted.
    public init?(declared: String) {
        let bare = declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch bare {
        case "application/x-zip-compressed", "application/x-zip": self = .zip
        case "image/jpg", "image/pjpeg": self = .jpeg
        default:
            guard let type = AnswerFileType(rawValue: bare) else { return nil }
            self = type
        }
    }

    /// Whether the bytes are of this type: the signature of PDF, JPEG, PNG and ZIP (a local file
    /// header or an empty archive), or for text valid UTF-8 without NUL bytes.
    public func matches(_ data: Data) -> Bool {
        switch self {
        case .pdf: EvidenceType.sniff(data) == .pdf
        case .jpeg: EvidenceType.sniff(data) == .jpeg
        case .png: EvidenceType.sniff(data) == .png
        case .zip: data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06])
        case .text: !data.contains(0) && String(data: data, encoding: .utf8) != nil
        }
    }

    /// Checks an upload: not empty, within the limit, a known declared type, and content of that type.
    /// - Throws: `empty_file`, `too_large` (413), `unsupported_type` or `type_mismatch` (415).
    public static func check(_ data: Data, declared: String?) throws -> AnswerFileType {
        guard !data.isEmpty else { throw ExamError.invalid("empty_file", "文件为空 (the file is empty)") }
        guard data.count <= maximumBytes else {
            throw ExamError(.tooLarge, code: "too_large", message: "文件不能超过 \(maximumBytes >> 20) MB (at most \(maximumBytes >> 20) MiB)")
        }
        let allowed = "PDF、JPEG、PNG、ZIP、TXT"
        guard let declared, let type = AnswerFileType(declared: declared) else {
            throw ExamError(
                .unsupportedMediaType, code: "unsupported_type",
                message: "只能上传 \(allowed) 文件 (Content-Type must be one of \(allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        guard type.matches(data) else {
            throw ExamError(
                .unsupportedMediaType, code: "type_mismatch",
                message: "文件内容与声明的类型 \(type.rawValue) 不符 (the content is not \(type.rawValue))"
            )
        }
        return type
    }

    /// A file name safe to store and show: the last path component, no control characters, at most 120 characters.
    public static func cleanName(_ name: String?, type: AnswerFileType) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)).trimmingCharacters(in: .whitespaces)
        if clean.isEmpty || clean == "." || clean == ".." { return "file.\(type.fileExtension)" }
        return String(clean.prefix(120))
    }

    /// The usual file name extension of the type.
    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .jpeg: "jpg"
        case .png: "png"
        case .zip: "zip"
        case .text: "txt"
        }
    }
}
