// Micro-benchmarks of the foundation, printed as one JSON object for bench/run.py.
//
//   assay-bench [--seconds S]
//
// - argon2: time of one Argon2id hash at the OWASP parameters (m=19 MiB, t=2, p=1)
// - hashing pool: password verifications per second through PasswordHashingPool with 1, 2 and
//   4 threads, 64 requests in flight (what the login route does)
// - audit append: entries per second, each its own durable transaction, at durability full and normal
// - audit verify: entries per second recomputed by the verifier
import Accounts
import Audit
import ExamCore
import ExamServer
import Foundation
import Storage

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

let arguments = CommandLine.arguments
let budget = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 3
var results: [String: Any] = [:]

// Argon2: single hash latency.
let hasher = Argon2PasswordHasher()
let hash = try hasher.hash("benchmark password 2026")
var samples: [Double] = []
for _ in 0..<20 {
    samples.append(try await seconds { _ = hasher.verify("benchmark password 2026", against: hash) })
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

let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
FileHandle.standardOutput.write(data + Data("\n".utf8))
