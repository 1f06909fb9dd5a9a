import Audit
import Crypto
import ExamCore
import Foundation
import ItemBank
import PaperAssembly
import Storage

/// Paper assembly for the CLI and the server: assemble (preview), save frozen forms, seal them
/// into packages, open a package for a sitting, discard an assembly before release.
public struct PaperService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]
    /// The folder of blueprint files (`Exams/blueprints`).
    public let blueprints: String

    public init(store: Store, standards: [OccupationStandard], blueprints: String) {
        self.store = store
        self.standards = standards
        self.blueprints = blueprints
    }

    /// What to assemble.
    public struct Request: Sendable, Codable {
        public var exam: String
        public var level: String
        public var direction: String?
        /// `theory` or `practical` (also `ability`).
        public var part: String
        public var forms: Int
        public var seed: UInt64
        public var moves: Int?

        public init(exam: String, level: String, direction: String?, part: String, forms: Int, seed: UInt64, moves: Int? = nil) {
            self.exam = exam
            self.level = level
            self.direction = direction
            self.part = part
            self.forms = forms
            self.seed = seed
            self.moves = moves
        }
    }

    /// An assembly computed but not stored, with the blueprint's fingerprint.
    public struct Preview: Sendable {
        public var result: AssemblyResult
        public var blueprintSHA256: String
    }

    /// Assembles forms from the items papers may use; nothing is written.
    /// - Throws: `unknown_exam`, `unknown_level`, `unknown_part`, `unknown_direction`,
    ///   `direction_required`, `no_blueprints`, `no_blueprint`, `invalid_blueprint`, `bad_forms`.
    public func assemble(_ request: Request) async throws -> Preview {
        guard let standard = standards.first(where: { $0.code.rawValue == request.exam }) else {
            throw ExamError.invalid("unknown_exam", "no standard \(request.exam) (known: \(standards.map(\.code.rawValue).joined(separator: ", ")))")
        }
        guard let level = Level(rawValue: request.level) else { throw ExamError.invalid("unknown_level", "level must be 初级, 中级 or 高级") }
        let part: ExamPart
        switch request.part {
        case "theory", "理论", "理论知识": part = .theory
        case "practical", "ability", "专业能力", "实操": part = .ability
        default: throw ExamError.invalid("unknown_part", "part must be theory or practical")
        }
        let path = (blueprints as NSString).appendingPathComponent("\(standard.code.rawValue).yaml")
        let file = try BlueprintLoader.load(directory: blueprints, standard: standard)
        guard let blueprint = file.blueprint(level: level, part: part) else {
            throw ExamError.invalid("no_blueprint", "\(path) has no blueprint for \(level.rawValue) \(request.part)")
        }
        let direction = try Self.direction(request.direction, standard: standard, level: level, part: part)
        let items = try await store.items.items(ItemFilter(occupation: standard.code, usable: true)).compactMap { summary in
            summary.activeVersion.map { AssemblyItem(id: summary.metadata.id, version: $0, metadata: summary.metadata, exposure: summary.exposureCount) }
        }
        let result = try Assembler.assemble(
            AssemblyRequest(
                standard: standard, blueprint: blueprint, direction: direction, forms: request.forms, seed: request.seed,
                moves: request.moves ?? 200_000
            ),
            items: items
        )
        let digest = SHA256.hash(data: FileManager.default.contents(atPath: path) ?? Data()).hexString
        return Preview(result: result, blueprintSHA256: digest)
    }

    /// Assembles and stores the forms as papers (versions pinned, exposure counted), optionally
    /// replacing an earlier assembly that was not released.
    /// - Throws: `infeasible` (with the report's findings) and everything ``assemble(_:)`` throws;
    ///   `already_released`, `item_changed` from storage.
    public func save(_ request: Request, replacing: String?, actor: String) async throws -> (PaperAssemblyRecord, Preview) {
        try await save(try await assemble(request), replacing: replacing, actor: actor)
    }

    /// Stores an assembly already computed (the preview a person read), if it is feasible.
    public func save(_ preview: Preview, replacing: String?, actor: String) async throws -> (PaperAssemblyRecord, Preview) {
        let result = preview.result
        guard result.feasible else {
            let findings = result.report.proven + result.report.unmet
            throw ExamError(.conflict, code: "infeasible", message: "the forms do not meet the blueprint: " + findings.prefix(10).joined(separator: "; "))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let id = CalendarDate.recordID("ASM", at: Date(), bytes: 3)
        let record = PaperAssemblyRecord(
            id: id, occupation: result.request.standard.code, level: result.request.blueprint.level, direction: result.request.direction,
            part: result.request.blueprint.part, forms: result.request.forms, seed: result.request.seed, moves: result.request.moves,
            blueprintSHA256: preview.blueprintSHA256, report: String(decoding: try encoder.encode(result.report), as: UTF8.self),
            status: .assembled, createdBy: actor, createdAt: Date()
        )
        let papers = result.forms.map { form in
            PaperRecord(
                id: "\(id)-F\(form.number)", assemblyID: id, form: form.number, totalPoints: form.totalPoints, difficultyMean: form.difficultyMean,
                items: form.items.map { PaperItemRef(itemID: $0.id, version: $0.version, points: $0.points) }
            )
        }
        try await store.papers.create(
            record, papers: papers, replacing: replacing,
            audit: AuditEvent(
                actor: actor, action: "paper.assembled", subject: "assembly:\(id)",
                payload: [
                    "occupation": .string(record.occupation.rawValue), "level": .string(record.level.rawValue),
                    "direction": .string(record.direction.name), "part": .string(record.part.rawValue), "forms": .int(record.forms),
                    "seed": .string(String(record.seed)), "blueprint_sha256": .string(record.blueprintSHA256),
                    "replacing": replacing.map(JSONValue.string) ?? .null, "papers": .array(papers.map { .string($0.id) }),
                ]
            )
        )
        return (record, preview)
    }

    /// Freezes every paper of an assembly into a package (the pinned versions' content) and seals
    /// it under its own key wrapped by the bank key. Needs the bank unsealed to read the items.
    public func seal(_ assemblyID: String, bank: UnsealedBankKey, actor: String) async throws -> [PaperRecord] {
        guard let assembly = try await store.papers.assembly(id: assemblyID) else {
            throw ExamError(.notFound, code: "not_found", message: "no assembly \(assemblyID)")
        }
        guard assembly.status == .assembled else {
            throw ExamError(.conflict, code: assembly.status == .released ? "already_released" : "wrong_status", message: "\(assemblyID) is \(assembly.status.rawValue)")
        }
        let papers = try await store.papers.papers(of: assemblyID)
        var sealed: [String: SealedItemVersion] = [:]
        for paper in papers {
            var items: [PackagedItem] = []
            for reference in paper.items {
                guard let stored = try await store.items.version(of: reference.itemID, version: reference.version) else {
                    throw ExamError(.notFound, code: "not_found", message: "item \(reference.itemID) v\(reference.version) is missing")
                }
                let content = try ItemEnvelope.open(stored.sealed, id: reference.itemID, version: reference.version, with: bank)
                items.append(PackagedItem(
                    id: reference.itemID, version: reference.version, type: stored.summary.metadata.type, points: reference.points, content: content
                ))
            }
            let package = PaperPackage(
                paperID: paper.id, occupation: assembly.occupation, level: assembly.level, direction: assembly.direction, part: assembly.part,
                items: items
            )
            sealed[paper.id] = try PaperSealing.seal(package, to: bank.sealingKey)
        }
        try await store.papers.seal(
            assemblyID, sealed: sealed,
            audit: AuditEvent(
                actor: actor, action: "paper.sealed", subject: "assembly:\(assemblyID)",
                payload: ["papers": .array(papers.map { .string($0.id) }), "items_decrypted": .int(papers.reduce(0) { $0 + $1.items.count })]
            )
        )
        return try await store.papers.papers(of: assemblyID)
    }

    /// Opens a sealed paper for a sitting (the delivery runtime calls this at the start); the
    /// assembly becomes released and can no longer be reassembled or discarded.
    public func open(_ paperID: String, bank: UnsealedBankKey, actor: String, purpose: String) async throws -> PaperPackage {
        guard let paper = try await store.papers.paper(id: paperID) else {
            throw ExamError(.notFound, code: "not_found", message: "no paper \(paperID)")
        }
        guard let sealed = paper.sealed else {
            throw ExamError(.conflict, code: "not_sealed", message: "\(paperID) has not been sealed; seal its assembly first")
        }
        let package = try PaperSealing.open(sealed, paperID: paperID, with: bank)
        try await store.papers.release(
            paperID, audit: AuditEvent(actor: actor, action: "paper.opened", subject: "paper:\(paperID)", payload: ["purpose": .string(purpose)])
        )
        return package
    }

    /// Discards an assembly that was not released; its items get their exposure back.
    public func discard(_ assemblyID: String, actor: String) async throws {
        try await store.papers.discard(assemblyID, audit: AuditEvent(actor: actor, action: "paper.discarded", subject: "assembly:\(assemblyID)"))
    }

    /// The direction asked for, or the one direction that makes no difference.
    public static func direction(_ name: String?, standard: OccupationStandard, level: Level, part: ExamPart) throws -> Direction {
        let spec = standard.levels.first { $0.level == level }
        let directions = (spec?.directions.isEmpty ?? true) ? [Direction.undivided] : spec!.directions
        if let name, !name.isEmpty {
            guard directions.contains(Direction(name)) else {
                throw ExamError.invalid(
                    "unknown_direction", "\(name) is no direction of \(standard.code) at \(level.rawValue) (known: \(directions.map(\.name).joined(separator: ", ")))"
                )
            }
            return Direction(name)
        }
        if directions.count == 1 { return directions[0] }
        let columns: [[String: Int]] = part == .theory
            ? standard.weights.theory.filter { $0.level == level }.map { $0.basic.merging($0.related) { first, _ in first } }
            : standard.weights.ability.filter { $0.level == level }.map(\.functions)
        guard Set(columns).count <= 1 else {
            throw ExamError.invalid(
                "direction_required",
                "the weight tables of \(level.rawValue) differ by direction; give --direction (one of: \(directions.map(\.name).joined(separator: ", ")))"
            )
        }
        return directions[0]
    }

}

/// An assembly and its papers' compositions (never their content), for the API and the CLI.
public struct AssemblyView: Codable, Sendable {
    public var id: String
    public var status: String
    public var occupation: String
    public var level: String
    public var direction: String
    public var part: String
    public var forms: Int
    public var seed: UInt64
    public var blueprintSHA256: String
    public var createdBy: String
    public var createdAt: Date
    public var papers: [PaperView]?

    public struct PaperView: Codable, Sendable {
        public var id: String
        public var form: Int
        public var totalPoints: Double
        public var difficultyMean: Double
        public var sealed: Bool
        public var released: Bool
        public var items: [PaperItemRef]
    }

    public init(_ record: PaperAssemblyRecord, papers: [PaperRecord]? = nil) {
        id = record.id
        status = record.status.rawValue
        occupation = record.occupation.rawValue
        level = record.level.rawValue
        direction = record.direction.name
        part = record.part.rawValue
        forms = record.forms
        seed = record.seed
        blueprintSHA256 = record.blueprintSHA256
        createdBy = record.createdBy
        createdAt = record.createdAt
        self.papers = papers?.map {
            PaperView(
                id: $0.id, form: $0.form, totalPoints: $0.totalPoints, difficultyMean: $0.difficultyMean, sealed: $0.sealed != nil,
                released: $0.releasedAt != nil, items: $0.items
            )
        }
    }
}

