import ExamCore
import Foundation

/// A deterministic synthetic bank for scale tests: the same seed always gives the same items.
/// Every item is marked `synthetic` and its text says so; none is fit for a real exam.
public enum SyntheticBank {
    /// SplitMix64: small, fast, and stable across platforms and Swift versions.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public static func generate(count: Int, seed: UInt64, standard: OccupationStandard) -> [ItemDraft] {
        var random = Generator(state: seed)
        let points = standard.functions.flatMap(\.contents).flatMap(\.points).map { (code: $0.code, name: $0.name, levels: $0.levels) }
        guard !points.isEmpty else { return [] }
        let types: [(ItemType, Double)] = [(.singleChoice, 0.55), (.multipleChoice, 0.2), (.trueFalse, 0.15), (.fillIn, 0.1)]
        return (0..<count).map { index in
            // About one item in five is on a 基本要求 (B1, B2 …), examined at every level.
            let basic = standard.basicRequirements
            let point = !basic.isEmpty && random.next() % 5 == 0
                ? basic[Int(random.next() % UInt64(basic.count))].asPoint(levels: standard.levels.map(\.level))
                : points[Int(random.next() % UInt64(points.count))]
            // A non-empty subset of the point's levels.
            var levels = point.levels.filter { _ in random.next() % 3 != 0 }
            if levels.isEmpty { levels = [point.levels[Int(random.next() % UInt64(point.levels.count))]] }
            let roll = Double(random.next() % 10_000) / 10_000
            var cumulative = 0.0
            let type = types.first { cumulative += $0.1; return roll < cumulative }?.0 ?? .singleChoice
            let difficulty = (0.2 + Double(random.next() % 7_500) / 10_000).rounded(toPlaces: 3)
            let id = ItemID(rawValue: "SYN-\(seed)-\(index + 1)")
            let stem = "【合成试题 \(id.rawValue)，仅供规模测试】关于鉴定点 \(point.code)「\(point.name)」，下列说法正确的是（　）"
            let options = Dictionary(uniqueKeysWithValues: ["A", "B", "C", "D"].map { ($0, "合成选项 \($0)-\(random.next() % 100_000)") })
            var content = ItemContent(stem: stem, options: options, explanation: "合成试题，无解析。")
            var pointsValue = 1.0
            switch type {
            case .singleChoice:
                content.answer = .option(["A", "B", "C", "D"][Int(random.next() % 4)])
            case .multipleChoice:
                content.answer = .options(["A", "B", "C", "D"].filter { _ in random.next() % 2 == 0 }.padded(to: 2))
                pointsValue = 2
            case .trueFalse:
                content.options = [:]
                content.stem = "【合成试题 \(id.rawValue)】判断：鉴定点 \(point.code) 的表述 \(random.next() % 1000) 正确。"
                content.answer = .truth(random.next() % 2 == 0)
            default:
                content.options = [:]
                content.stem = "【合成试题 \(id.rawValue)】鉴定点 \(point.code) 的关键术语是____(1)。"
                content.answer = .blanks([["术语\(random.next() % 1000)"]])
            }
            return ItemDraft(
                metadata: ItemMetadata(
                    id: id, type: type, occupation: standard.code, levels: levels, directions: .all, point: point.code,
                    difficulty: difficulty, discrimination: 0.3, points: pointsValue, synthetic: true
                ),
                content: content
            )
        }
    }
}

extension BasicRequirement {
    fileprivate func asPoint(levels: [Level]) -> (code: String, name: String, levels: [Level]) {
        (code: code, name: name, levels: levels)
    }
}

extension Array where Element == String {
    /// At least `count` letters: fills up from A, B, … when too few were chosen.
    fileprivate func padded(to count: Int) -> [String] {
        var result = self
        for letter in ["A", "B", "C", "D"] where result.count < count && !result.contains(letter) {
            result.append(letter)
        }
        return result.sorted()
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let factor = pow(10.0, Double(places))
        return (self * factor).rounded() / factor
    }
}
