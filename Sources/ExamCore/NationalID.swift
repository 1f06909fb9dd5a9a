import Foundation

/// A mainland resident identity card number (居民身份证号码, GB 11643-1999): 6-digit region code,
/// 8-digit birth date, 3-digit sequence (odd for men, even for women) and a check character.
public struct NationalID: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let number: String
    public let birthDate: DateComponents
    public let gender: Gender

    public enum Gender: String, Sendable, Codable, Equatable {
        case male = "男"
        case female = "女"
    }

    public var description: String { number }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")
    /// First two digits of the region code: provinces, autonomous regions, municipalities, HK, Macao, Taiwan.
    static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
        61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]

    /// Parses and checks a number, accepting a lower-case `x` and surrounding spaces.
    /// - Parameter today: birth dates after it are refused.
    /// - Throws: ``ExamError`` `invalid_id_number` naming what is wrong.
    public init(_ raw: String, today: Date = Date()) throws {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        func refuse(_ reason: String) -> ExamError { ExamError.invalid("invalid_id_number", "身份证号码\(reason) (ID number: \(reason))") }
        guard text.count == 18 else { throw refuse("应为18位，现为\(text.count)位") }
        let characters = Array(text)
        let digits = characters.prefix(17).compactMap(\.wholeNumberValue)
        guard digits.count == 17, characters.prefix(17).allSatisfy(\.isASCII) else { throw refuse("前17位须为数字") }
        guard characters[17].isASCII, characters[17].isNumber || characters[17] == "X" else { throw refuse("第18位须为数字或X") }
        guard Self.provinces.contains(digits[0] * 10 + digits[1]) else { throw refuse("地区码\(digits[0])\(digits[1])不存在") }
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        let calendar = CalendarDate.calendar
        let components = DateComponents(year: year, month: month, day: day)
        guard year >= 1900, (1...12).contains(month), let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { throw refuse("出生日期\(year)-\(month)-\(day)无效") }
        guard date <= today else { throw refuse("出生日期\(year)-\(month)-\(day)在今天之后") }
        let sum = zip(digits, Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        let expected = Self.checkCharacters[sum % 11]
        guard characters[17] == expected else { throw refuse("校验码应为\(expected)，现为\(characters[17])") }
        number = text
        birthDate = components
        gender = digits[16] % 2 == 1 ? .male : .female
    }

    /// The check character for 17 digits (for generating test data).
    public static func checkCharacter(for digits: String) -> Character? {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == 17 else { return nil }
        return checkCharacters[zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11]
    }
}
