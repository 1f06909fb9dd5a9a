import ExamCore
import Testing

@Suite struct TicketCodeTests {
    @Test func codesAreThreeGroupsOfUnambiguousCharacters() {
        var generator = SystemRandomNumberGenerator()
        let codes = (0..<2000).map { _ in TicketCode.generate(using: &generator) }
        #expect(Set(codes).count == codes.count)
        for code in codes {
            let groups = code.split(separator: "-")
            #expect(groups.count == 3 && groups.allSatisfy { $0.count == 4 })
            #expect(!code.contains { "ILOU".contains($0) })
            #expect(TicketCode.normalised(code) == code)
        }
    }

    @Test(arguments: [
        ("k7q2 m9xd 3f8w", "K7Q2-M9XD-3F8W"), ("K7Q2M9XD3F8W", "K7Q2-M9XD-3F8W"), ("O1IL-0000-AAAA", "0111-0000-AAAA"),
    ])
    func typedCodesAreNormalised(typed: String, code: String) {
        #expect(TicketCode.normalised(typed) == code)
    }

    @Test(arguments: ["", "K7Q2-M9XD-3F8", "K7Q2-M9XD-3F8WX", "K7Q2-M9XD-3F8U", "准考证号码一二三四五六七"])
    func otherTextIsNotACode(typed: String) {
        #expect(TicketCode.normalised(typed) == nil)
    }
}
