import CQREncode
import ExamCore
import Foundation

/// A QR Code (model 2) symbol, encoded by Debian's libqrencode, as a square of dark and light modules.
public struct QRCode: Sendable, Equatable {
    /// Modules per side (21 for version 1, 4 more per version).
    public let size: Int
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    /// Encodes `text` as UTF-8 bytes at error-correction level M (15 % of the symbol may be lost).
    /// - Throws: `qr_failed` when the text is empty or too long for any QR version.
    public init(_ text: String) throws {
        guard !text.isEmpty, let symbol = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw ExamError.invalid("qr_failed", "cannot encode \(text.utf8.count) bytes as a QR code")
        }
        defer { QRcode_free(symbol) }
        let width = Int(symbol.pointee.width)
        size = width
        // libqrencode sets bit 0 of each byte for a dark module; the other bits describe its role.
        modules = (0..<width * width).map { symbol.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    /// An SVG drawing with a quiet zone of `margin` modules, one unit per module, scaled by its viewer.
    /// Each dark module is one `M x y h1v1h-1z` subpath of a single path, so the drawing is exact at any size.
    public func svg(margin: Int = 4, title: String? = nil) -> String {
        let side = size + 2 * margin
        var path = ""
        path.reserveCapacity(modules.count * 6)
        for row in 0..<size {
            for column in 0..<size where isDark(row: row, column: column) {
                path += "M\(column + margin) \(row + margin)h1v1h-1z"
            }
        }
        let label = title.map { "<title>\(Self.escaped($0))</title>" } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" role="img">\
            \(label)<rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
