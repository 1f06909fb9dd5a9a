// Micro-benchmarks of the foundation, printed as one JSON object for bench/run.py.
//
//   assay-bench [--seconds S]
//
// - argon2: time of one Argon2id hash at the OWASP parameters (m=19 MiB, t=2, p=1)
// - hashing pool: password verifications per second through PasswordHashingPool with 1, 2 and
//   4 threads, 64 requests in flight (what the login route does)
// - audit append: entries per second, each its own durable transaction, at durability full and normal
// - audit verify: entries per second recomputed by the verifier
// - assembly: `--assembly-only` below
// - item bank: 50,000 synthetic items checked, sealed and imported; unseal (3 of 5); first open of an
//   item (HPKE unwrap + AES-GCM + decode) and with the data key at hand; `--decrypt-only` below
import Accounts
import Audit
import ExamCore
import ExamServer
import ExamStandards
import Foundation
import ItemBank
import PaperAssembly
import Storage

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return (ContinuousClock.now - start).inSeconds
}

let arguments = CommandLine.arguments
let budget = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 3
var results: [String: Any] = [:]

// `--prepare-sitting DATA --candidates N --start-in SECONDS --out FILE`: see PrepareSitting.swift.
if let index = arguments.firstIndex(of: "--prepare-sitting") {
    func value(_ name: String) -> String? { arguments.firstIndex(of: name).map { arguments[$0 + 1] } }
    try await PrepareSitting.run(
        data: arguments[index + 1], exams: value("--exams") ?? "Exams", candidates: Int(value("--candidates") ?? "1000") ?? 1000,
        startIn: Double(value("--start-in") ?? "60") ?? 60, out: value("--out") ?? "tickets.tsv"
    )
    exit(0)
}

// `--echo-server --candidates N --start-in S --out TICKETS.tsv`: the ceiling, see EchoServer.swift.
if arguments.contains("--echo-server") {
    FileDescriptorLimit.raise(to: 1 << 16)
    try await EchoServer.run(arguments: arguments)
    exit(0)
}

// `--load URL TICKETS.tsv …`: the sitting load tool, see LoadClient.swift.
if arguments.contains("--load") {
    FileDescriptorLimit.raise(to: 1 << 16)
    try await LoadClient.run(arguments: arguments)
    exit(0)
}

// `--scoring-only [--hand-ins N]`: objective scoring throughput, see ScoringBench.swift.
if arguments.contains("--scoring-only") {
    let count = arguments.firstIndex(of: "--hand-ins").flatMap { Int(arguments[$0 + 1]) } ?? 100_000
    let json = try JSONSerialization.data(withJSONObject: ScoringBench.run(handIns: count), options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
    exit(0)
}

// `--decrypt-only`: AES-256-GCM decryption of 1 KiB items on one core, each item with its own data
// key (so every open pays its key schedule), printed as JSON. bench/run.py runs it alternately with
// `openssl speed` and takes the median ratio; it is also the loop to profile (perf record ...).
if arguments.contains("--decrypt-only") {
    let bank = try BankKeyCeremony.create(custodians: 3, threshold: 2).key
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var content = ItemContent(stem: "", options: [:])
    content.stem = String(repeating: "x", count: 1024 - (try encoder.encode(content).count))
    let ids = (0..<1000).map { ItemID(rawValue: "K-\($0)") }
    let sealed = try ids.map { try ItemEnvelope.seal(content, id: $0, version: 1, to: bank.sealingKey) }
    let keys = try ids.indices.map { try ItemEnvelope.dataKey(of: sealed[$0], id: ids[$0], version: 1, with: bank) }
    var count = 0
    let elapsed = try await seconds {
        let deadline = ContinuousClock.now + .milliseconds(Int(budget * 1000))
        while ContinuousClock.now < deadline {
            for index in ids.indices { _ = try ItemEnvelope.decrypt(sealed[index], id: ids[index], version: 1, dataKey: keys[index]) }
            count += ids.count
        }
    }
    let result: [String: Any] = ["decrypt_1kib_per_s": Double(count) / elapsed, "plaintext_bytes": try encoder.encode(content).count]
    FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]) + Data("\n".utf8))
    exit(0)
}

// `--assembly-only [--instance FILE]`: 10 disjoint forms of 100 items from a synthetic 20,000-item
// bank under a blueprint of about 80 rows (sections, 职业功能 weights, every 高级 鉴定点, bands,
// difficulty); prints time to the first feasible forms and the objective, and writes the instance
// for bench/cpsat_assembly.py.
if arguments.contains("--assembly-only") {
    let standard = StandardLoader.load(path: "Exams").standards.first { $0.code.rawValue == "2-02-10-09" }!
    let items = SyntheticBank.generate(count: 20_000, seed: 2026, standard: standard).map {
        AssemblyItem(id: $0.metadata.id, version: 1, metadata: $0.metadata, exposure: 0)
    }
    let points = standard.functions.flatMap(\.contents).flatMap(\.points).filter { $0.levels.contains(.senior) }.map(\.code)
    let blueprint = Blueprint(
        level: .senior, part: .theory,
        sections: [
            .init(type: .singleChoice, count: 55, points: 1), .init(type: .multipleChoice, count: 20, points: 1),
            .init(type: .trueFalse, count: 15, points: 1), .init(type: .fillIn, count: 10, points: 1),
        ],
        weightTolerance: 2, difficulty: .init(target: 0.6, maxDeviation: 0.02),
        bands: [
            .init(name: "较易", from: 0.75, to: 1, min: 0.1, max: 0.4), .init(name: "中等", from: 0.45, to: 0.75, min: 0.3, max: 0.7),
            .init(name: "较难", from: 0, to: 0.45, min: 0.1, max: 0.4),
        ],
        coverage: points.map { .init(point: $0, min: 1, max: 4) }, maxShared: 0, exposureCap: 5
    )
    let moves = arguments.firstIndex(of: "--moves").flatMap { Int(arguments[$0 + 1]) } ?? 400_000
    let request = AssemblyRequest(
        standard: standard, blueprint: blueprint, direction: Direction("人工智能平台产品实现"), forms: 10, seed: 2026, moves: moves,
        timeLimit: .seconds(120)
    )
    let result = try Assembler.assemble(request, items: items)
    let instance = try AssemblyInstance(request, items: items)
    if let index = arguments.firstIndex(of: "--instance") {
        try JSONEncoder().encode(instance).write(to: URL(fileURLWithPath: arguments[index + 1]))
    }
    let output: [String: Any] = [
        "feasible": result.feasible, "objective": result.objective, "elapsed_s": result.elapsed.inSeconds,
        "first_feasible_s": result.firstFeasible?.inSeconds ?? -1, "moves": result.movesMade, "rows": instance.rows.count + blueprint.sections.count + 1,
        "eligible_items": instance.itemIDs.count, "bank_items": items.count, "forms": request.forms, "items_per_form": blueprint.itemCount,
        "spread": result.report.across?.difficultySpread ?? -1,
    ]
    FileHandle.standardOutput.write(try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys]) + Data("\n".utf8))
    exit(0)
}

// Argon2: single hash latency.
let hasher = Argon2PasswordHasher()
let hash = try hasher.hash("benchmark password 2026")
var samples: [Double] = []
for _ in 0..<20 {
    samples.append(await seconds { _ = hasher.verify("benchmark password 2026", against: hash) })
}
samples.sort()
results["argon2_ms_median"] = samples[samples.count / 2] * 1000
results["cores"] = ProcessInfo.processInfo.activeProcessorCount

// Hashing pool throughput.
var pool: [String: Double] = [:]
for threads in [1, 2, 4] {
    let hashing = PasswordHashingPool(threads: threads, queueLimit: 1024)
    let total = max(16, Int(budget * 40))
    let elapsed = try await seconds {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var started = 0
            var running = 0
            while started < total || running > 0 {
                while running < 64 && started < total {
                    group.addTask { try await hashing.run { hasher.verify("benchmark password 2026", against: hash) } }
                    started += 1
                    running += 1
                }
                _ = try await group.next()
                running -= 1
            }
        }
    }
    try await hashing.shutdown()
    pool["\(threads)"] = Double(total) / elapsed
}
results["hashing_pool_verifications_per_s"] = pool

// Audit append and verify.
var appends: [String: Double] = [:]
var verifyRate = 0.0
for durability in Durability.allCases {
    let directory = NSTemporaryDirectory() + "/assay-bench-\(UUID().uuidString.prefix(8))"
    let database = try DataDirectory(path: directory).initialise(configuration: .init(durability: durability))
    let audit = database.store.audit
    var count = 0
    let elapsed = try await seconds {
        let deadline = ContinuousClock.now + .milliseconds(Int(budget * 1000))
        while ContinuousClock.now < deadline {
            try await audit.append(AuditEvent(
                actor: "bench", action: "bench.appended", subject: "bench:\(count)", payload: ["n": .int(count), "text": "考试 benchmark"]
            ))
            count += 1
        }
    }
    appends[durability.rawValue] = Double(count) / elapsed
    if durability == .full {
        let key = try DataDirectory(path: directory).signingKey(create: false)
        var result: AuditVerification?
        let verifyElapsed = try await seconds { result = try await audit.verifyChain(publicKey: key?.publicKey) }
        precondition(result?.isIntact == true)
        verifyRate = Double(count) / verifyElapsed
    }
    try? FileManager.default.removeItem(atPath: directory)
}
results["audit_appends_per_s"] = appends
results["audit_verify_entries_per_s"] = verifyRate

// Item bank.
let bankItems = arguments.firstIndex(of: "--bank-items").flatMap { Int(arguments[$0 + 1]) } ?? 50_000
let standards = StandardLoader.load(path: "Exams").standards
if let standard = standards.first(where: { $0.code.rawValue == "2-02-10-09" }) {
    let directory = NSTemporaryDirectory() + "/assay-bench-bank-\(UUID().uuidString.prefix(8))"
    let database = try DataDirectory(path: directory).initialise()
    let service = BankService(store: database.store, standards: standards)
    let shares = try await service.initialise(custodians: 5, threshold: 3, actor: "bench")
    let drafts = SyntheticBank.generate(count: bankItems, seed: 2026, standard: standard)
    var imported = 0
    let importSeconds = try await seconds {
        for draft in drafts { precondition(ItemValidator.problems(draft, standard: standard).isEmpty) }
        imported = try await service.importDrafts(drafts, status: .active, actor: "bench", source: .string("bench")).items
    }
    results["bank_import_items"] = imported
    results["bank_import_seconds"] = importSeconds
    let record = try await database.store.items.bankKey()!
    var unsealSamples: [Double] = []
    for _ in 0..<20 {
        unsealSamples.append(try await seconds { _ = try BankKeyCeremony.unseal(record, shares: Array(shares[1...3])) })
    }
    unsealSamples.sort()
    results["bank_unseal_ms_median"] = unsealSamples[unsealSamples.count / 2] * 1000
    try? FileManager.default.removeItem(atPath: directory)

    // 1 KiB items: content JSON of about 1,024 bytes.
    let bank = try BankKeyCeremony.unseal(record, shares: Array(shares[0...2]))
    let filler = String(repeating: "题", count: 290)
    let content = ItemContent(stem: filler, options: ["A": "甲", "B": "乙"], answer: .option("A"))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    results["bank_item_bytes"] = try encoder.encode(content).count
    let sealed = try (0..<2000).map { try ItemEnvelope.seal(content, id: ItemID(rawValue: "B-\($0)"), version: 1, to: bank.sealingKey) }
    var opened = 0
    let firstOpen = try await seconds {
        for (index, item) in sealed.enumerated() {
            _ = try ItemEnvelope.open(item, id: ItemID(rawValue: "B-\(index)"), version: 1, with: bank)
            opened += 1
        }
    }
    results["bank_first_open_per_s"] = Double(opened) / firstOpen
    let keys = try sealed.enumerated().map { try ItemEnvelope.dataKey(of: $1, id: ItemID(rawValue: "B-\($0)"), version: 1, with: bank) }
    var rounds = 0
    let cachedSeconds = try await seconds {
        let deadline = ContinuousClock.now + .milliseconds(Int(budget * 1000))
        while ContinuousClock.now < deadline {
            for index in 0..<sealed.count {
                _ = try ItemEnvelope.open(sealed[index], id: ItemID(rawValue: "B-\(index)"), version: 1, dataKey: keys[index])
            }
            rounds += 1
        }
    }
    results["bank_cached_open_per_s"] = Double(rounds * sealed.count) / cachedSeconds
}

let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
FileHandle.standardOutput.write(data + Data("\n".utf8))
