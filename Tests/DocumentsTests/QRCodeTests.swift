import Documents
import Foundation
import Testing

@Suite struct QRCodeTests {
    /// The three finder patterns: a 7×7 dark ring, a light ring, a 3×3 dark core, in three corners.
    func hasFinder(_ code: QRCode, row: Int, column: Int) -> Bool {
        (0..<7).allSatisfy { r in
            (0..<7).allSatisfy { c in
                let ring = r == 0 || r == 6 || c == 0 || c == 6
                let core = (2...4).contains(r) && (2...4).contains(c)
                return code.isDark(row: row + r, column: column + c) == (ring || core)
            }
        }
    }

    @Test func aTicketURLIsASymbolWithFindersInThreeCorners() throws {
        let code = try QRCode("https://exam.example.cn/sit.html?ticket=K7Q2-M9XD-3F8W")
        #expect((code.size - 17) % 4 == 0 && code.size >= 21)
        #expect(hasFinder(code, row: 0, column: 0))
        #expect(hasFinder(code, row: 0, column: code.size - 7))
        #expect(hasFinder(code, row: code.size - 7, column: 0))
        #expect(!hasFinder(code, row: code.size - 7, column: code.size - 7))
    }

    @Test func longerTextNeedsALargerSymbol() throws {
        #expect(try QRCode(String(repeating: "A", count: 200)).size > QRCode("A").size)
    }

    @Test func theSVGDrawsEveryDarkModuleOnce() throws {
        let code = try QRCode("准考证 K7Q2")
        let svg = code.svg(title: "<ticket>")
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<title>&lt;ticket&gt;</title>"))
        #expect(svg.components(separatedBy: "h1v1h-1z").count - 1 == code.modules.filter { $0 }.count)
    }

    @Test func emptyOrOversizedTextIsRefused() {
        #expect(throws: (any Error).self) { try QRCode("") }
        #expect(throws: (any Error).self) { try QRCode(String(repeating: "x", count: 5000)) }
    }
}
