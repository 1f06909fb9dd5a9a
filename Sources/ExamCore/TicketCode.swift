/// Admission-ticket codes (准考证号): 12 characters of Crockford's base-32 alphabet (no I, L, O or U,
/// so nothing is misread on paper) in three groups, e.g. `K7Q2-M9XD-3F8W`, 60 random bits.
public enum TicketCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let characters = (0..<12).map { _ in alphabet[Int(generator.next() % 32)] }
        return [characters[0..<4], characters[4..<8], characters[8..<12]].map { String($0) }.joined(separator: "-")
    }

    /// The code as typed by a person: case, spaces and dashes do not matter, and O, I and L are read
    /// as 0, 1 and 1. Nil when it cannot be a ticket code.
    public static func normalised(_ typed: String) -> String? {
        var characters: [Character] = []
        for character in typed.uppercased() where character != "-" && !character.isWhitespace {
            switch character {
            case "O": characters.append("0")
            case "I", "L": characters.append("1")
            case _ where alphabet.contains(character): characters.append(character)
            default: return nil
            }
        }
        guard characters.count == 12 else { return nil }
        return [characters[0..<4], characters[4..<8], characters[8..<12]].map { String($0) }.joined(separator: "-")
    }
}
