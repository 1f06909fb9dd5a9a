import CSV
import ExamCore
import Foundation

/// Rows of a spreadsheet (CSV UTF-8 or the first sheet of an XLSX workbook), cells as text, so that
/// every import (items, rosters) reads both the same way. Row `n` of the result is line/row `n + 1`.
public enum SpreadsheetRows {
    /// - Throws: `malformed_csv` with the line.
    public static func csv(_ text: String) throws -> [[String]] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var rows: [[String]] = []
        do {
            let reader = try CSVReader(string: body, hasHeaderRow: false)
            while let row = reader.next() { rows.append(row) }
            if let error = reader.error { throw ExamError.invalid("malformed_csv", "malformed CSV at line \(rows.count + 1) (\(error))") }
        } catch let error as ExamError {
            throw error
        } catch {
            throw ExamError.invalid("malformed_csv", "malformed CSV at line \(rows.count + 1) (\(error))")
        }
        return rows
    }

    /// The first sheet, with empty rows kept so row numbers match the sheet's.
    /// - Throws: `invalid_xlsx` when the file is not a readable workbook.
    public static func xlsx(_ data: Data) throws -> [[String]] {
        let rows: [(number: Int, cells: [String])]
        do {
            rows = try XLSXSheetReader.rows(of: data)
        } catch let error as ExamError {
            throw error
        } catch {
            throw ExamError.invalid("invalid_xlsx", "not a readable XLSX file")
        }
        var padded: [[String]] = []
        for (number, cells) in rows {
            while padded.count < number - 1 { padded.append([]) }
            padded.append(cells)
        }
        return padded
    }

    /// Reads a file by its extension (`.csv` or `.xlsx`).
    public static func read(path: String) throws -> [[String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExamError.invalid("no_such_file", "cannot read \(path)")
        }
        if path.lowercased().hasSuffix(".xlsx") { return try xlsx(data) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExamError.invalid("not_utf8", "\(path) is not UTF-8 text (save as CSV UTF-8 or XLSX)")
        }
        return try csv(text)
    }
}
