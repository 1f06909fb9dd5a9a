import ExamCore
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the first worksheet of an XLSX workbook as rows of text (shared strings, inline strings,
/// numbers and booleans), for the spreadsheet item template.
public enum XLSXSheetReader {
    /// - Returns: rows in sheet order with their 1-based row numbers; missing cells are empty text.
    /// - Throws: `bad_xlsx` naming what is wrong (not a zip, truncated, no worksheet, malformed XML).
    public static func rows(of data: Data) throws -> [(number: Int, cells: [String])] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw ExamError.invalid("bad_xlsx", "not a readable XLSX file (not a zip archive, or truncated)")
        }
        let sharedStrings = try archive["xl/sharedStrings.xml"].map { try strings(try read($0, in: archive)) } ?? []
        guard let sheetEntry = archive["xl/worksheets/sheet1.xml"] else {
            throw ExamError.invalid("bad_xlsx", "the workbook has no first worksheet (xl/worksheets/sheet1.xml)")
        }
        let sheet = try document(try read(sheetEntry, in: archive))
        var result: [(Int, [String])] = []
        for row in elements(named: "row", in: sheet.rootElement()) {
            let number = Int(attribute(row, "r") ?? "") ?? (result.last.map { $0.0 + 1 } ?? 1)
            var cells: [String] = []
            for cell in children(row, "c") {
                let column = columnIndex(attribute(cell, "r") ?? "") ?? cells.count
                while cells.count < column { cells.append("") }
                let type = attribute(cell, "t") ?? "n"
                let value = children(cell, "v").first?.stringValue ?? ""
                switch type {
                case "s":
                    guard let index = Int(value), sharedStrings.indices.contains(index) else {
                        throw ExamError.invalid("bad_xlsx", "row \(number) refers to a missing shared string")
                    }
                    cells.append(sharedStrings[index])
                case "inlineStr":
                    cells.append(elements(named: "t", in: cell).map { $0.stringValue ?? "" }.joined())
                case "b":
                    cells.append(value == "1" ? "TRUE" : "FALSE")
                default:
                    cells.append(value)
                }
            }
            result.append((number, cells))
        }
        return result
    }

    private static func read(_ entry: Entry, in archive: Archive) throws -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw ExamError.invalid("bad_xlsx", "the XLSX file is damaged (\(entry.path) cannot be read)")
        }
        return data
    }

    private static func document(_ data: Data) throws -> XMLDocument {
        let checker = XMLParser(data: data)
        guard checker.parse(), checker.parserError == nil, let document = try? XMLDocument(data: data, options: []) else {
            throw ExamError.invalid("bad_xlsx", "the XLSX file holds malformed XML")
        }
        return document
    }

    private static func strings(_ data: Data) throws -> [String] {
        children(try document(data).rootElement(), "si").map { item in
            elements(named: "t", in: item).map { $0.stringValue ?? "" }.joined()
        }
    }

    private static func children(_ element: XMLElement?, _ name: String) -> [XMLElement] {
        (element?.children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == name }
    }

    private static func elements(named name: String, in element: XMLElement?) -> [XMLElement] {
        guard let element else { return [] }
        var found: [XMLElement] = []
        for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) {
            if child.localName == name { found.append(child) } else { found += elements(named: name, in: child) }
        }
        return found
    }

    private static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    /// "C7" → 2 (0-based column).
    static func columnIndex(_ reference: String) -> Int? {
        let letters = reference.prefix { $0.isLetter }.uppercased()
        guard !letters.isEmpty else { return nil }
        return letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
    }
}

extension SpreadsheetItemFormat {
    /// Reads the template from an XLSX workbook's first sheet.
    public static func parseXLSX(_ data: Data, file: String, standards: [OccupationStandard]) -> Result<[ItemDraft], ItemImportFailure> {
        do {
            // Sheet row numbers stay in messages even when the sheet skips empty rows.
            return parse(rows: try SpreadsheetRows.xlsx(data), file: file, standards: standards)
        } catch let error as ExamError {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: error.message)]))
        } catch {
            return .failure(ItemImportFailure([ItemIssue(file: file, line: nil, itemID: nil, message: "not a readable XLSX file")]))
        }
    }
}
