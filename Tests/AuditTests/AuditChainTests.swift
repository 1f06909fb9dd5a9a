import Audit
import Crypto
import ExamCore
import ExamTesting
import Foundation
import Storage
import Testing

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysAndHasNoWhitespace() {
        let value: JSONValue = ["b": 1, "a": ["z": true, "y": .null], "c": ["x", 2]]
        #expect(value.canonicalText == #"{"a":{"y":null,"z":true},"b":1,"c":["x",2]}"#)
    }

    @Test func escapesMinimallyAndKeepsChinese() {
        let value: JSONValue = ["名": "王敏 \"引号\"\n\u{01}/"]
        #expect(value.canonicalText == "{\"名\":\"王敏 \\\"引号\\\"\\n\\u0001/\"}")
    }

    @Test func roundTripsThroughStoredText() throws {
        let value: JSONValue = ["roles": ["examiner", "supervisor"], "n": 3, "ok": false]
        #expect(try JSONValue.parse(value.canonicalText) == value)
    }
}

/// Tamper tests on the pure verifier: each kind of damage is found at the right entry.
@Suite struct AuditVerifierTests {
    static let key = BodySigningKey()

    static func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditChain.genesisHash
        for index in 1...count {
            let entry = AuditEntry(
                seq: Int64(index), time: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)),
                event: AuditEvent(actor: "acct-\(index % 3)", action: "thing.done", subject: "thing:\(index)", payload: ["i": .int(index)]),
                previousHash: previous
            )
            entries.append(entry)
            previous = entry.hash
        }
        return entries
    }

    static func verify(_ entries: [AuditEntry], checkpoints: [AuditCheckpoint] = [], key: BodySigningKey = key) -> AuditVerification {
        var verifier = AuditVerifier(checkpointSeqs: checkpoints.map(\.seq))
        for entry in entries { verifier.consume(entry) }
        return verifier.finish(checkpoints: checkpoints, publicKey: key.publicKey)
    }

    @Test func anIntactChainVerifies() throws {
        let entries = Self.chain(50)
        let checkpoint = try Self.key.checkpoint(for: entries[39], at: Date())
        let result = Self.verify(entries, checkpoints: [checkpoint])
        #expect(result.isIntact)
        #expect(result.entriesChecked == 50)
    }

    @Test func aFlippedByteIsFoundAtItsEntry() {
        var entries = Self.chain(20)
        entries[6].payloadText = entries[6].payloadText.replacingOccurrences(of: "7", with: "8")
        #expect(Self.verify(entries).problem == AuditProblem(seq: 7, kind: .altered, message: "content does not match its hash (the entry was altered)"))
    }

    @Test func aChangedActorOrTimeIsFound() {
        var entries = Self.chain(10)
        entries[2].actor = "someone-else"
        #expect(Self.verify(entries).problem?.seq == 3)
        entries = Self.chain(10)
        entries[8].timeMillis += 1
        #expect(Self.verify(entries).problem?.seq == 9)
    }

    @Test func aDeletedEntryIsFound() {
        var entries = Self.chain(20)
        entries.remove(at: 11)
        let problem = Self.verify(entries).problem
        #expect(problem?.seq == 12)
        #expect(problem?.kind == .missing)
    }

    @Test func reorderedEntriesAreFound() {
        var entries = Self.chain(20)
        entries.swapAt(4, 5)
        // Read in stored order, entry 6 arrives where 5 belongs: entry 5 is the first bad one.
        let problem = Self.verify(entries).problem
        #expect(problem?.seq == 5)
        #expect(problem?.kind == .missing)
    }

    @Test func swappedContentsUnderTheSameNumbersAreFound() {
        var entries = Self.chain(20)
        let (a, b) = (entries[4], entries[5])
        entries[4] = AuditEntry(seq: 5, timeMillis: b.timeMillis, actor: b.actor, action: b.action, subject: b.subject, payloadText: b.payloadText, previousHash: b.previousHash, hash: b.hash)
        entries[5] = AuditEntry(seq: 6, timeMillis: a.timeMillis, actor: a.actor, action: a.action, subject: a.subject, payloadText: a.payloadText, previousHash: a.previousHash, hash: a.hash)
        #expect(Self.verify(entries).problem?.seq == 5)
    }

    @Test func aRewrittenChainWithRecomputedHashesIsCaughtByTheCheckpoint() throws {
        let entries = Self.chain(30)
        let checkpoint = try Self.key.checkpoint(for: entries[29], at: Date())
        // The attacker rewrites entry 10 and recomputes every hash after it.
        var forged = Array(entries[..<9])
        var previous = forged.last!.hash
        for entry in entries[9...] {
            let payload: JSONValue = entry.seq == 10 ? ["i": 999] : (try JSONValue.parse(entry.payloadText))
            let rewritten = AuditEntry(
                seq: entry.seq, time: entry.time, event: AuditEvent(actor: entry.actor, action: entry.action, subject: entry.subject, payload: payload),
                previousHash: previous
            )
            forged.append(rewritten)
            previous = rewritten.hash
        }
        let problem = Self.verify(forged, checkpoints: [checkpoint]).problem
        #expect(problem?.kind == .checkpointMismatch)
        #expect(problem?.seq == 30)
    }

    @Test func aForgedCheckpointIsFound() throws {
        let entries = Self.chain(10)
        var checkpoint = try Self.key.checkpoint(for: entries[9], at: Date())
        checkpoint.timeMillis += 1
        #expect(Self.verify(entries, checkpoints: [checkpoint]).problem?.kind == .forgedCheckpoint)
        // Signed by another key: also forged.
        let other = try BodySigningKey().checkpoint(for: entries[9], at: Date())
        let problem = Self.verify(entries, checkpoints: [other]).problem
        #expect(problem?.kind == .forgedCheckpoint)
        #expect(problem?.seq == 10)
    }

    @Test func aTruncatedTailBeforeACheckpointIsFound() throws {
        let entries = Self.chain(10)
        let checkpoint = try Self.key.checkpoint(for: entries[9], at: Date())
        let problem = Self.verify(Array(entries[..<7]), checkpoints: [checkpoint]).problem
        #expect(problem?.kind == .missing)
        #expect(problem?.seq == 8)
    }
}

/// The same attacks on a real database file, made the way an attacker with the file would:
/// raw SQL through SQLite, past the repositories.
@Suite struct AuditTamperOnDiskTests {
    static func makeDatabase(entries: Int) async throws -> (TemporaryDirectory, DataDirectory) {
        let directory = TemporaryDirectory()
        let dataDirectory = DataDirectory(path: directory.file("data"))
        let database = try dataDirectory.initialise(configuration: .init(durability: .normal))
        for index in 1...entries {
            try await database.store.audit.append(
                AuditEvent(actor: "admin", action: "account.created", subject: "account:\(index)", payload: ["username": .string("user\(index)")])
            )
        }
        return (directory, dataDirectory)
    }

    static func verify(_ dataDirectory: DataDirectory) async throws -> AuditVerification {
        try await dataDirectory.openReadOnly().store.audit.verifyChain(publicKey: dataDirectory.signingKey(create: false)?.publicKey)
    }

    @Test func intactOnDisk() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 350)
        defer { directory.remove() }
        let result = try await Self.verify(data)
        #expect(result.isIntact)
        #expect(result.checkpointsChecked == 3)
    }

    @Test func oneChangedByteInOneRow() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 35)
        defer { directory.remove() }
        try RawSQLite.execute(data.databasePath, "UPDATE audit_entry SET payload = replace(payload, 'user17', 'user18') WHERE seq = 17")
        let problem = try await Self.verify(data).problem
        #expect(problem?.seq == 17)
        #expect(problem?.kind == .altered)
    }

    @Test func deletedRow() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 35)
        defer { directory.remove() }
        try RawSQLite.execute(data.databasePath, "DELETE FROM audit_entry WHERE seq = 23")
        #expect(try await Self.verify(data).problem?.seq == 23)
    }

    @Test func deletedTailCoveredByACheckpoint() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 230)
        defer { directory.remove() }
        try RawSQLite.execute(data.databasePath, "DELETE FROM audit_entry WHERE seq > 150")
        let problem = try await Self.verify(data).problem
        #expect(problem?.seq == 151)
        #expect(problem?.kind == .missing)
    }

    @Test func deletedCheckpointsAndARewrittenChainAreFound() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 230)
        defer { directory.remove() }
        // The attacker removes every checkpoint, rewrites entry 40 and recomputes every later hash.
        let entries = try await data.openReadOnly().store.audit.entries(after: 0, limit: 1000)
        var sql = "DELETE FROM audit_checkpoint; DELETE FROM audit_entry WHERE seq >= 40;"
        var previous = entries[38].hash
        for entry in entries[39...] {
            let payload: JSONValue = entry.seq == 40 ? ["username": "nobody"] : try JSONValue.parse(entry.payloadText)
            let forged = AuditEntry(
                seq: entry.seq, time: entry.time,
                event: AuditEvent(actor: entry.actor, action: entry.action, subject: entry.subject, payload: payload), previousHash: previous
            )
            previous = forged.hash
            sql += "INSERT INTO audit_entry VALUES (\(forged.seq), \(forged.timeMillis), '\(forged.actor)', '\(forged.action)', '\(forged.subject)', '\(forged.payloadText)', '\(forged.previousHash)', '\(forged.hash)');"
        }
        try RawSQLite.execute(data.databasePath, sql)
        let problem = try await Self.verify(data).problem
        #expect(problem?.seq == 100)
        #expect(problem?.kind == .missing)
    }

    @Test func renumberedRows() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 35)
        defer { directory.remove() }
        try RawSQLite.execute(
            data.databasePath,
            "UPDATE audit_entry SET seq = 1000 WHERE seq = 12; UPDATE audit_entry SET seq = 12 WHERE seq = 13; UPDATE audit_entry SET seq = 13 WHERE seq = 1000"
        )
        #expect(try await Self.verify(data).problem?.seq == 12)
    }

    @Test func forgedCheckpointSignature() async throws {
        let (directory, data) = try await Self.makeDatabase(entries: 230)
        defer { directory.remove() }
        let forged = try BodySigningKey().checkpoint(
            for: AuditEntry(seq: 200, timeMillis: 0, actor: "", action: "", subject: "", payloadText: "", previousHash: "", hash: ""), at: Date()
        )
        try RawSQLite.execute(data.databasePath, "UPDATE audit_checkpoint SET signature = '\(forged.signature)' WHERE seq = 200")
        let problem = try await Self.verify(data).problem
        #expect(problem?.seq == 200)
        #expect(problem?.kind == .forgedCheckpoint)
    }
}
