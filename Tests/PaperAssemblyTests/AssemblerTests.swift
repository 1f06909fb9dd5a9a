import ExamCore
import ExamStandards
import ExamTesting
import Foundation
import ItemBank
import Testing

@testable import PaperAssembly

@Suite struct AssemblerTests {
    static let standard = StandardLoader.load(path: RepositoryPaths.exams).standards.first { $0.code.rawValue == "2-02-10-09" }!
    static let vision = Direction("计算机视觉产品实现")

    /// A synthetic bank as assembly sees it (every item approved at version 1).
    static func bank(_ count: Int, seed: UInt64 = 11, exposure: Int = 0) -> [AssemblyItem] {
        SyntheticBank.generate(count: count, seed: seed, standard: standard).map {
            AssemblyItem(id: $0.metadata.id, version: 1, metadata: $0.metadata, exposure: exposure)
        }
    }

    static let blueprint = Blueprint(
        level: .intermediate, part: .theory,
        sections: [
            .init(type: .singleChoice, count: 30, points: 2), .init(type: .multipleChoice, count: 5, points: 4),
            .init(type: .trueFalse, count: 10, points: 1), .init(type: .fillIn, count: 5, points: 2),
        ],
        weightTolerance: 3, difficulty: .init(target: 0.6, maxDeviation: 0.05),
        bands: [.init(name: "较难", from: 0, to: 0.4, min: 0.1, max: 0.4)],
        coverage: [.init(point: "2.2.1", min: 1, max: 3), .init(point: "3.1.2", min: 1, max: nil)],
        maxShared: 0, exposureCap: 3
    )

    static func weightColumn(_ direction: Direction) -> [String: Double] {
        let column = standard.weights.theory.first { $0.level == .intermediate && $0.direction == direction }!
        return column.basic.merging(column.related) { first, _ in first }.mapValues(Double.init)
    }

    @Test func disjointParallelFormsMeetEveryHardConstraint() throws {
        let items = Self.bank(3000)
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        let result = try Assembler.assemble(
            AssemblyRequest(standard: Self.standard, blueprint: Self.blueprint, direction: Self.vision, forms: 3, seed: 5, moves: 30_000),
            items: items
        )
        let isFeasible = result.feasible
        #expect(isFeasible, "unmet: \(result.report.unmet)")
        let forms = result.forms
        #expect(forms.count == 3)
        // Checked here from the forms themselves, not from the assembler's own bookkeeping.
        var seen = Set<ItemID>()
        for form in forms {
            #expect(form.items.count == 50)
            #expect(abs(form.totalPoints - 100) < 1e-9)
            for item in form.items { #expect(seen.insert(item.id).inserted, "\(item.id) is on two forms") }
            let counts = Dictionary(grouping: form.items, by: \.type).mapValues(\.count)
            #expect(counts == [.singleChoice: 30, .multipleChoice: 5, .trueFalse: 10, .fillIn: 5])
            var points: [String: Double] = [:]
            for item in form.items {
                let metadata = byID[item.id]!.metadata
                #expect(metadata.levels.contains(.intermediate) && metadata.directions.includes(Self.vision))
                points[weightKey(of: item.point), default: 0] += item.points
            }
            for (key, weight) in Self.weightColumn(Self.vision) {
                #expect(abs((points[key] ?? 0) - weight) <= 3 + 1e-9, "form \(form.number): \(key) has \(points[key] ?? 0), weight \(weight)")
            }
            #expect(Set(points.keys).isSubset(of: Set(Self.weightColumn(Self.vision).filter { $0.value > 0 }.keys)))
            #expect(abs(form.difficultyMean - 0.6) <= 0.05 + 1e-9)
            let hard = form.items.filter { $0.difficulty < 0.4 }.count
            #expect((5...20).contains(hard), "band 较难 has \(hard) of 50")
            let onPoint = form.items.filter { $0.point == "2.2.1" }.count
            #expect((1...3).contains(onPoint))
            #expect(form.items.contains { $0.point == "3.1.2" })
        }
        let report = result.report
        #expect(report.across?.mostShared == 0)
        #expect(report.forms.allSatisfy { $0.rows.allSatisfy(\.met) })
        #expect(report.objective < 0.05 * 50 * 3, "each form within its tolerance, so the objective is bounded")
    }

    @Test func theSameSeedGivesByteIdenticalForms() throws {
        let items = Self.bank(2000)
        func run(_ seed: UInt64) throws -> Data {
            let result = try Assembler.assemble(
                AssemblyRequest(standard: Self.standard, blueprint: Self.blueprint, direction: Self.vision, forms: 2, seed: seed, moves: 5_000),
                items: items.shuffled()
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(result.forms)
        }
        let first = try run(42)
        #expect(try run(42) == first, "the order items arrive in must not matter either")
        #expect(try run(43) != first)
    }

    @Test func aShortBankIsDiagnosedNamingWhatIsMissing() throws {
        var blueprint = Self.blueprint
        blueprint.coverage = [.init(point: "3.2.2", min: 4, max: nil)]
        let items = Self.bank(3000)
        let available = items.filter { $0.metadata.point == "3.2.2" && $0.metadata.levels.contains(.intermediate) }.count
        let forms = available / 4 + 1
        let result = try Assembler.assemble(
            AssemblyRequest(standard: Self.standard, blueprint: blueprint, direction: Self.vision, forms: forms, seed: 1, moves: 100), items: items
        )
        #expect(!result.feasible)
        #expect(result.forms.isEmpty, "nothing is searched when the shortfall is proven")
        let finding = try #require(result.proven.first { $0.contains("鉴定点 3.2.2") })
        #expect(finding.contains("needs 4 items per form for \(forms) disjoint forms"))
        #expect(finding.contains("the bank has \(available) usable"))
    }

    @Test func exposureCapAndSharingLimitAreRespected() throws {
        // Every item has already been on 3 papers: with a cap of 3 nothing is usable.
        let worn = Self.bank(1500, exposure: 3)
        let none = try Assembler.assemble(
            AssemblyRequest(standard: Self.standard, blueprint: Self.blueprint, direction: Self.vision, forms: 1, seed: 1, moves: 100), items: worn
        )
        #expect(!none.feasible)
        #expect(none.proven.contains { $0.contains("单选题") && $0.contains("the bank has 0 usable items") })

        // With a small bank and overlap allowed, forms may share up to the limit and no more.
        var sharing = Self.blueprint
        sharing.maxShared = 20
        sharing.exposureCap = 10
        sharing.coverage = []
        sharing.bands = []
        let result = try Assembler.assemble(
            AssemblyRequest(standard: Self.standard, blueprint: sharing, direction: Self.vision, forms: 4, seed: 3, moves: 40_000),
            items: Self.bank(700, exposure: 8)
        )
        let isFeasible = result.feasible
        #expect(isFeasible, "unmet: \(result.report.unmet)")
        let sets = result.forms.map { Set($0.items.map(\.id)) }
        for first in sets.indices {
            for second in sets.indices where second > first { #expect(sets[first].intersection(sets[second]).count <= 20) }
        }
        var uses: [ItemID: Int] = [:]
        for form in result.forms { for item in form.items { uses[item.id, default: 0] += 1 } }
        #expect(uses.values.allSatisfy { $0 <= 2 }, "exposure 8 with a cap of 10 leaves two more papers")
    }

    @Test func enemyItemsNeverShareAForm() throws {
        var items = Self.bank(2500)
        // Pair up items into enemy groups of two.
        for index in stride(from: 0, to: 600, by: 2) {
            items[index].metadata.enemyGroup = "E\(index)"
            items[index + 1].metadata.enemyGroup = "E\(index)"
        }
        let result = try Assembler.assemble(
            AssemblyRequest(standard: Self.standard, blueprint: Self.blueprint, direction: Self.vision, forms: 2, seed: 9, moves: 20_000), items: items
        )
        #expect(result.feasible)
        let group = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.metadata.enemyGroup) })
        for form in result.forms {
            let groups = form.items.compactMap { group[$0.id] ?? nil }
            #expect(Set(groups).count == groups.count, "form \(form.number) holds two items of one enemy group")
        }
    }

    @Test func blueprintsThatContradictTheirStandardAreRefused() throws {
        var blueprint = Self.blueprint
        blueprint.sections[0].count = 29
        blueprint.coverage.append(.init(point: "9.9.9", min: 1, max: nil))
        let problems = blueprint.problems(in: Self.standard)
        #expect(problems.contains { $0.contains("the sections give 98 points; the theory part has 100") })
        #expect(problems.contains { $0.contains("9.9.9 is no 鉴定点") })
        #expect(throws: ExamError.self) {
            try Assembler.assemble(
                AssemblyRequest(standard: Self.standard, blueprint: blueprint, direction: Self.vision, forms: 1, seed: 1), items: Self.bank(100)
            )
        }
        let yaml = """
            schema: 1
            occupation: "2-02-10-09"
            blueprints:
              - level: 中级
                part: theory
                sections: [{type: single_choice, count: 50, points: 2}]
                weight_tolerance: five
            """
        let error = #expect(throws: ExamError.self) { try BlueprintLoader.parse(yaml, file: "bp.yaml", standard: Self.standard) }
        #expect(error?.message.contains("weight_tolerance") == true)
    }

    @Test func everyShippedStandardHasValidBlueprintsForEveryLevelAndPart() throws {
        for standard in StandardLoader.load(path: RepositoryPaths.exams).standards {
            let file = try BlueprintLoader.load(directory: RepositoryPaths.exams + "/blueprints", standard: standard)
            for level in standard.levels.map(\.level) {
                #expect(file.blueprint(level: level, part: .theory) != nil, "\(standard.code) \(level) theory")
                #expect(file.blueprint(level: level, part: .ability) != nil, "\(standard.code) \(level) ability")
            }
        }
    }
}

@Suite struct PracticalAssemblyTests {
    static func task(_ id: String, point: String, minutes: Int?, points: Double = 100) -> AssemblyItem {
        AssemblyItem(
            id: ItemID(rawValue: id), version: 1,
            metadata: ItemMetadata(
                id: ItemID(rawValue: id), type: .practicalTask, occupation: AssemblerTests.standard.code, levels: [.intermediate], directions: .all,
                point: point, difficulty: 0.5, points: points, timeMinutes: minutes
            ),
            exposure: 0
        )
    }

    static let blueprint = Blueprint(level: .intermediate, part: .ability, sections: [.init(type: .practicalTask, count: 2, points: nil)], weightTolerance: 100)

    @Test func practicalFormsFitTheDurationAndTheFullMarks() throws {
        // 中级 ability lasts 120 minutes in the shipped standard; two tasks of 50 points each.
        let items = [
            Self.task("T-1", point: "2.2.2", minutes: 60, points: 50), Self.task("T-2", point: "3.1.3", minutes: 45, points: 50),
            Self.task("T-3", point: "5.1.3", minutes: 60, points: 50), Self.task("T-4", point: "7.1.2", minutes: 45, points: 50),
            Self.task("T-5", point: "4.1.2", minutes: nil, points: 50), Self.task("T-6", point: "2.1.3", minutes: 30, points: 40),
        ]
        let result = try Assembler.assemble(
            AssemblyRequest(standard: AssemblerTests.standard, blueprint: Self.blueprint, direction: AssemblerTests.vision, forms: 2, seed: 3, moves: 2_000),
            items: items
        )
        let feasible = result.feasible
        #expect(feasible, "unmet: \(result.report.unmet)")
        let minutes = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.metadata.timeMinutes) })
        for form in result.forms {
            #expect(form.totalPoints == 100)
            #expect(form.items.reduce(0) { $0 + (minutes[$1.id]! ?? 1000) } <= 120)
            #expect(!form.items.contains { $0.id.rawValue == "T-5" }, "a task of unknown length is never placed")
        }
        // Three forms would need six tasks of 50 points; there are four.
        let three = try Assembler.assemble(
            AssemblyRequest(standard: AssemblerTests.standard, blueprint: Self.blueprint, direction: AssemblerTests.vision, forms: 3, seed: 3, moves: 2_000),
            items: items
        )
        let threeFeasible = three.feasible
        #expect(!threeFeasible)
        // Two tasks that are each fine but too long together: the pair never fits the 120 minutes.
        let pair = [Self.task("P-1", point: "2.2.2", minutes: 70, points: 50), Self.task("P-2", point: "3.1.3", minutes: 70, points: 50)]
        let overTime = try Assembler.assemble(
            AssemblyRequest(standard: AssemblerTests.standard, blueprint: Self.blueprint, direction: AssemblerTests.vision, forms: 1, seed: 1, moves: 100),
            items: pair
        )
        #expect(overTime.proven.contains { $0.contains("need at least 140 minutes") })
        let long = [Self.task("L-1", point: "2.2.2", minutes: 100), Self.task("L-2", point: "3.1.3", minutes: 90)]
        let tooLong = try Assembler.assemble(
            AssemblyRequest(standard: AssemblerTests.standard, blueprint: Self.blueprint, direction: AssemblerTests.vision, forms: 1, seed: 1, moves: 100),
            items: long
        )
        #expect(tooLong.proven.contains { $0.contains("need at least 190 minutes") && $0.contains("the part lasts 120") })
    }
}
