import Foundation

/// Normalises fill-in answers before comparing them with the accepted variants: full-width and
/// half-width forms are equated (NFKC), case is folded, surrounding spaces dropped and inner runs
/// of spaces collapsed. `"ＲｅＬＵ "` matches `"relu"`.
public enum AnswerNormaliser {
    public static func normalise(_ text: String) -> String {
        // ASCII is its own NFKC form: fold case and collapse spaces byte by byte (scoring does this
        // for every blank of every hand-in); anything else goes through Foundation.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var pendingSpace = false
            for byte in text.utf8 {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    pendingSpace = !bytes.isEmpty
                    continue
                }
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.precomposedStringWithCompatibilityMapping
            .lowercased()
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }

    /// Whether `response` matches one of `variants` after normalisation.
    public static func matches(_ response: String, anyOf variants: [String]) -> Bool {
        let given = normalise(response)
        return !given.isEmpty && variants.contains { normalise($0) == given }
    }

    /// The blanks marked in a stem as `____(1)`, `____(2)`, … (any run of 2+ underscores before the number).
    public static func blankMarkers(in stem: String) -> [Int] {
        var numbers: [Int] = []
        var rest = Substring(stem)
        while let underscore = rest.firstIndex(of: "_") {
            var index = underscore
            var count = 0
            while index < rest.endIndex, rest[index] == "_" {
                count += 1
                index = rest.index(after: index)
            }
            rest = rest[index...]
            guard count >= 2, let open = rest.first, open == "(" || open == "（" else { continue }
            let digits = rest.dropFirst().prefix { $0.isNumber }
            let after = rest.dropFirst(1 + digits.count).first
            if let number = Int(String(digits).precomposedStringWithCompatibilityMapping), after == ")" || after == "）" {
                numbers.append(number)
            }
        }
        return numbers
    }
}
