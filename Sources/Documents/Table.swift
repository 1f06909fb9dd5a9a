import CSV
import CXLSXWriter
import ExamCore
import Foundation

/// A list as exported to people: a header row and rows of cells, written as CSV (UTF-8 with a byte
/// order mark so spreadsheet programs read Chinese correctly) or as an XLSX workbook.
public struct Table: Sendable, Equatable {
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        case number(Double)

        public init(stringLiteral value: String) { self = .text(value) }
        public init(integerLiteral value: Int) { self = .number(Double(value)) }
        public init(_ value: Int) { self = .number(Double(value)) }
        public init(_ value: String?) { self = .text(value ?? "") }

        /// As text: whole numbers without a decimal point.
        public var text: String {
            switch self {
            case .text(let text): text
            case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            }
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case csv, xlsx

        public var contentType: String {
            switch self {
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    /// The sheet's name in a workbook (at most 31 characters, none of `[]:*?/\`).
    public var title: String
    public var headers: [String]
    public var rows: [[Cell]]

    public init(title: String, headers: [String], rows: [[Cell]]) {
        self.title = title
        self.headers = headers
        self.rows = rows
    }

    public func data(_ format: Format) throws -> Data {
        switch format {
        case .csv: try csv()
        case .xlsx: try xlsx()
        }
    }

    /// RFC 4180 CSV with CRLF line ends. A text cell that a spreadsheet would run as a formula
    /// (starting with `=`, `+`, `-`, `@`, tab or carriage return, and not a plain number) gets a
    /// leading apostrophe, so a name typed as `=HYPERLINK(…)` stays text.
    public func csv() throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        _ = stream.write(bom, maxLength: bom.count)
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: headers.map(Self.inert))
        for row in rows {
            try writer.write(row: row.map { cell in
                if case .text(let text) = cell { return Self.inert(text) }
                return cell.text
            })
        }
        let crlf: [UInt8] = [0x0D, 0x0A]
        _ = stream.write(crlf, maxLength: 2)
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw ExamError.invalid("export_failed", "the CSV could not be written")
        }
        return data
    }

    /// An XLSX workbook with one sheet: a bold, frozen header row with filters, text cells as text
    /// (never formulas) and number cells as numbers.
    public func xlsx() throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assay-export-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let workbook = workbook_new(path) else { throw ExamError.invalid("export_failed", "the workbook could not be created") }
        var closed = false
        defer { if !closed { workbook_close(workbook) } }
        guard let sheet = workbook_add_worksheet(workbook, Self.sheetName(title)) else {
            throw ExamError.invalid("export_failed", "the worksheet could not be added")
        }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        var widths = headers.map { Self.displayWidth($0) }
        for (column, header) in headers.enumerated() {
            try Self.check(worksheet_write_string(sheet, 0, lxw_col_t(column), header, bold), row: 0)
        }
        for (index, row) in rows.enumerated() {
            let line = lxw_row_t(index + 1)
            for (column, cell) in row.enumerated() {
                switch cell {
                case .text(let text) where text.isEmpty:
                    continue
                case .text(let text):
                    try Self.check(worksheet_write_string(sheet, line, lxw_col_t(column), text, nil), row: index + 1)
                case .number(let number):
                    try Self.check(worksheet_write_number(sheet, line, lxw_col_t(column), number, nil), row: index + 1)
                }
                if column < widths.count { widths[column] = max(widths[column], Self.displayWidth(cell.text)) }
            }
        }
        for (column, width) in widths.enumerated() {
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), Double(min(max(width, 6), 60)) + 2, nil)
        }
        if !headers.isEmpty {
            worksheet_freeze_panes(sheet, 1, 0)
            worksheet_autofilter(sheet, 0, 0, lxw_row_t(rows.count), lxw_col_t(headers.count - 1))
        }
        closed = true
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR, let data = FileManager.default.contents(atPath: path) else {
            throw ExamError.invalid("export_failed", "the workbook could not be written (\(String(cString: lxw_strerror(status))))")
        }
        return data
    }

    private static func check(_ status: lxw_error, row: Int) throws {
        guard status == LXW_NO_ERROR else {
            throw ExamError.invalid("export_failed", "row \(row) could not be written (\(String(cString: lxw_strerror(status))))")
        }
    }

    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil else { return text }
        return "'" + text
    }

    /// Excel's rules for sheet names.
    static func sheetName(_ title: String) -> String {
        let cleaned = String(title.unicodeScalars.filter { !"[]:*?/\\".unicodeScalars.contains($0) }.map(Character.init))
        let trimmed = String(cleaned.prefix(31)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        return trimmed.isEmpty ? "Sheet1" : trimmed
    }

    /// Columns wide enough for CJK text, which is twice as wide as Latin.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
    }
}
