import Documents
import Foundation
import ItemBank
import Testing

@Suite struct TableTests {
    let table = Table(
        title: "申报名单 [2026]",
        headers: ["姓名", "证件号码", "分数", "备注"],
        rows: [
            ["王小明", "11010519491231002X", 92, "含,逗号"],
            ["李\"华\"", "G12345678", .number(59.5), "两行\n文字"],
            ["=HYPERLINK(\"http://x\")", "", -3, "@cmd"],
        ]
    )

    @Test func csvRoundTripsThroughTheImportReader() throws {
        let data = try table.csv()
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try SpreadsheetRows.csv(try #require(String(data: data, encoding: .utf8)))
        #expect(rows[0] == table.headers)
        #expect(rows[1] == ["王小明", "11010519491231002X", "92", "含,逗号"])
        #expect(rows[2] == ["李\"华\"", "G12345678", "59.5", "两行\n文字"])
        // Formula-looking text is defused; negative numbers stay numbers.
        #expect(rows[3] == ["'=HYPERLINK(\"http://x\")", "", "-3", "'@cmd"])
    }

    @Test func xlsxRoundTripsThroughTheImportReader() throws {
        let data = try table.xlsx()
        #expect(data.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let rows = try SpreadsheetRows.xlsx(data)
        #expect(rows[0] == table.headers)
        #expect(rows[1] == ["王小明", "11010519491231002X", "92", "含,逗号"])
        #expect(rows[2] == ["李\"华\"", "G12345678", "59.5", "两行\n文字"])
        // In a workbook text is never a formula, so it is kept as typed.
        #expect(rows[3].first == "=HYPERLINK(\"http://x\")")
        #expect(rows.count == 4)
    }

    @Test func anEmptyListIsStillAWorkbookWithItsHeader() throws {
        let empty = Table(title: "空", headers: ["a", "b"], rows: [])
        #expect(try SpreadsheetRows.xlsx(try empty.xlsx()) == [["a", "b"]])
        #expect(try SpreadsheetRows.csv(String(decoding: try empty.csv(), as: UTF8.self)) == [["a", "b"]])
    }

    @Test func aCellTooLongForExcelIsAClearError() throws {
        let long = Table(title: "t", headers: ["a"], rows: [[.text(String(repeating: "x", count: 40_000))]])
        #expect(throws: (any Error).self) { try long.xlsx() }
    }
}
