import Accounts
import Audit
import ExamCore
import Foundation
import ItemBank
import Storage

/// A broken promise of a storage backend, with what was expected.
public struct ContractViolation: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The storage contract: what every backend (SQLite now, PostgreSQL later) must do.
///
/// Each check takes a fresh, empty store and a clock the backend writes audit times with.
/// A backend's test target runs every check in ``checks`` against its own factory.
public enum StorageContract {
    public typealias Check = @Sendable (Store) async throws -> Void

    /// Named checks, so a failure names the promise that was broken.
    public static let checks: [(name: String, run: Check)] = [
        ("account round trip keeps every field", accountRoundTrip),
        ("duplicate usernames are refused and change nothing", duplicateUsername),
        ("account changes are audited in the same transaction", accountChangesAudited),
        ("changing a missing account fails and writes nothing", missingAccount),
        ("sessions: create, touch, revoke, delete ended", sessionLifecycle),
        ("disabling an account ends its sessions in the same transaction", disablingEndsSessions),
        ("concurrent appends form one unbroken chain", concurrentAppends),
        ("audit appends form one verifiable chain", auditChain),
        ("audit checkpoints are signed and verifiable", auditCheckpoints),
        ("body profile is created once", bodyProfileOnce),
        ("item imports are all or nothing and keep no plaintext", itemImports),
    ]

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ContractViolation(message()) }
    }

    static func sampleAccount(
        _ username: String, roles: [Role] = [.examiner], occupations: [OccupationCode] = [], at time: Date = Date(millis: 1_800_000_000_000)
    ) -> Account {
        Account(
            username: username, displayName: "测试 \(username)", roles: roles, occupations: occupations,
            passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", createdAt: time
        )
    }

    static func created(_ account: Account) -> AuditEvent {
        AuditEvent(actor: "test", action: "account.created", subject: "account:\(account.id)", payload: ["username": .string(account.username)])
    }

    static let accountRoundTrip: Check = { store in
        let account = sampleAccount("alice", roles: [.supervisor, .examiner], occupations: [OccupationCode(rawValue: "2-02-10-11"), OccupationCode(rawValue: "2-02-10-09")])
        try await store.accounts.create(account, audit: created(account))
        let byName = try await store.accounts.account(username: "alice")
        let byID = try await store.accounts.account(id: account.id)
        try expect(byName == account, "fetched by username: \(String(describing: byName)) != \(account)")
        try expect(byID == account, "fetched by id differs")
        try expect(try await store.accounts.list().map(\.username) == ["alice"], "list should hold alice only")
        try expect(try await store.accounts.count() == 1, "count should be 1")
        try expect(try await store.accounts.account(username: "bob") == nil, "unknown username should be nil")
        try expect(byName?.occupations.map(\.rawValue) == ["2-02-10-09", "2-02-10-11"], "occupations should round-trip, sorted")
        let event = AuditEvent(actor: "test", action: "account.occupations_set", subject: "account:\(account.id)")
        try await store.accounts.setOccupations(account.id, occupations: [OccupationCode(rawValue: "2-02-10-09")], audit: event)
        try expect(try await store.accounts.account(id: account.id)?.occupations.map(\.rawValue) == ["2-02-10-09"], "occupations should be replaced")
        try await store.accounts.setOccupations(account.id, occupations: [], audit: event)
        try expect(try await store.accounts.account(id: account.id)?.occupations.isEmpty == true, "occupations should be cleared")
        do {
            try await store.accounts.setOccupations(AccountID(rawValue: "nobody"), occupations: [OccupationCode(rawValue: "2-02-10-09")], audit: event)
            try expect(false, "setting occupations of an unknown account should fail")
        } catch let error as ExamError {
            try expect(error.code == "not_found", "unknown account should be not_found, got \(error.code)")
        }
    }

    static let duplicateUsername: Check = { store in
        let first = sampleAccount("carol")
        try await store.accounts.create(first, audit: created(first))
        let auditBefore = try await store.audit.count()
        let second = sampleAccount("carol", roles: [.bodyAdmin])
        do {
            try await store.accounts.create(second, audit: created(second))
            throw ContractViolation("a second account named carol was accepted")
        } catch let error as ExamError {
            try expect(error.code == "duplicate_username", "expected duplicate_username, got \(error.code)")
        }
        try expect(try await store.accounts.count() == 1, "the refused account left a row")
        try expect(try await store.audit.count() == auditBefore, "the refused account left an audit entry")
        try expect(try await store.accounts.account(username: "carol")?.roles == [.examiner], "the first account's roles changed")
    }

    static let accountChangesAudited: Check = { store in
        let account = sampleAccount("dave")
        try await store.accounts.create(account, audit: created(account))
        try await store.accounts.setDisabled(
            account.id, disabled: true, at: Date(millis: 1_800_000_100_000), audit: AuditEvent(actor: "test", action: "account.disabled", subject: "account:\(account.id)")
        )
        try expect(try await store.accounts.account(id: account.id)?.disabled == true, "account not disabled")
        try await store.accounts.setPasswordHash(
            account.id, hash: "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA",
            audit: AuditEvent(actor: "test", action: "account.password_changed", subject: "account:\(account.id)")
        )
        try expect(
            try await store.accounts.account(id: account.id)?.passwordHash.hasSuffix("bmV3aGFzaA") == true, "password hash not updated"
        )
        let actions = try await store.audit.entries(after: 0, limit: 10).map(\.action)
        try expect(actions == ["account.created", "account.disabled", "account.password_changed"], "audit actions were \(actions)")
    }

    static let missingAccount: Check = { store in
        do {
            try await store.accounts.setDisabled(
                AccountID(rawValue: "missing"), disabled: true, at: Date(), audit: AuditEvent(actor: "test", action: "x", subject: "y")
            )
            throw ContractViolation("disabling a missing account succeeded")
        } catch let error as ExamError {
            try expect(error.kind == .notFound, "expected not found, got \(error.code)")
        }
        try expect(try await store.audit.count() == 0, "a failed change left an audit entry")
    }

    static let sessionLifecycle: Check = { store in
        let account = sampleAccount("erin")
        try await store.accounts.create(account, audit: created(account))
        let start = Date(millis: 1_800_000_000_000)
        let token = SessionToken.generate()
        let session = AuthSession(
            tokenHash: token.storedHash, accountID: account.id, createdAt: start, lastSeenAt: start,
            expiresAt: start.addingTimeInterval(3600), clientAddress: "127.0.0.1"
        )
        try await store.sessions.create(session, audit: AuditEvent(actor: "test", action: "auth.login", subject: "account:\(account.id)"))
        try expect(try await store.sessions.session(tokenHash: token.storedHash) == session, "session round trip differs")
        try await store.sessions.touch(tokenHash: token.storedHash, at: start.addingTimeInterval(120))
        try expect(
            try await store.sessions.session(tokenHash: token.storedHash)?.lastSeenAt == start.addingTimeInterval(120),
            "touch did not move last-seen"
        )
        let revoked = try await store.sessions.revoke(
            tokenHash: token.storedHash, at: start.addingTimeInterval(200),
            audit: AuditEvent(actor: "test", action: "auth.logout", subject: "account:\(account.id)")
        )
        try expect(revoked, "revoke returned false")
        let again = try await store.sessions.revoke(
            tokenHash: token.storedHash, at: start.addingTimeInterval(300), audit: AuditEvent(actor: "test", action: "auth.logout", subject: "x")
        )
        try expect(!again, "revoking twice returned true")
        try expect(
            try await store.sessions.session(tokenHash: token.storedHash)?.revokedAt == start.addingTimeInterval(200),
            "revocation time not kept"
        )
        let removed = try await store.sessions.deleteEnded(before: start.addingTimeInterval(7200))
        try expect(removed == 1, "expected 1 ended session removed, got \(removed)")
        try expect(try await store.sessions.session(tokenHash: token.storedHash) == nil, "ended session still there")
    }

    static let disablingEndsSessions: Check = { store in
        let account = sampleAccount("frank")
        try await store.accounts.create(account, audit: created(account))
        let start = Date(millis: 1_800_000_000_000)
        let tokens = [SessionToken.generate(), SessionToken.generate()]
        for token in tokens {
            try await store.sessions.create(
                AuthSession(tokenHash: token.storedHash, accountID: account.id, createdAt: start, lastSeenAt: start, expiresAt: start.addingTimeInterval(3600)),
                audit: AuditEvent(actor: "test", action: "auth.login", subject: "account:\(account.id)")
            )
        }
        let when = start.addingTimeInterval(60)
        try await store.accounts.setDisabled(
            account.id, disabled: true, at: when, audit: AuditEvent(actor: "test", action: "account.disabled", subject: "account:\(account.id)")
        )
        for token in tokens {
            try expect(try await store.sessions.session(tokenHash: token.storedHash)?.revokedAt == when, "a session survived disabling")
        }
    }

    static let concurrentAppends: Check = { store in
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    try await store.audit.append(AuditEvent(actor: "writer-\(index % 4)", action: "thing.happened", subject: "thing:\(index)"))
                }
            }
            try await group.waitForAll()
        }
        let entries = try await store.audit.entries(after: 0, limit: 100)
        try expect(entries.map(\.seq) == Array(1...64), "64 concurrent appends did not give sequence 1…64")
        try expect(Set(entries.map(\.subject)).count == 64, "an append was lost or duplicated")
        let verdict = try await store.audit.verifyChain(publicKey: nil)
        try expect(verdict.isIntact, "concurrent appends broke the chain: \(String(describing: verdict.problem))")
    }

    static let auditChain: Check = { store in
        for index in 0..<25 {
            try await store.audit.append(AuditEvent(actor: "test", action: "thing.happened", subject: "thing:\(index)", payload: ["n": .int(index)]))
        }
        let entries = try await store.audit.entries(after: 0, limit: 100)
        try expect(entries.map(\.seq) == Array(1...25), "sequence numbers are not 1…25")
        try expect(entries.first?.previousHash == AuditChain.genesisHash, "first entry does not start from the genesis hash")
        for (previous, next) in zip(entries, entries.dropFirst()) {
            try expect(next.previousHash == previous.hash, "entry \(next.seq) does not link to \(previous.seq)")
        }
        let verdict = try await store.audit.verifyChain(publicKey: nil, batchSize: 7)
        try expect(verdict.isIntact && verdict.entriesChecked == 25, "verification failed: \(String(describing: verdict.problem))")
        try expect(try await store.audit.entries(after: 20, limit: 3).map(\.seq) == [21, 22, 23], "paging is wrong")
    }

    static let auditCheckpoints: Check = { store in
        for index in 0..<3 {
            try await store.audit.append(AuditEvent(actor: "test", action: "thing.happened", subject: "thing:\(index)"))
        }
        guard let checkpoint = try await store.audit.checkpoint() else {
            throw ContractViolation("the store has no signing key, so it cannot checkpoint")
        }
        try expect(checkpoint.seq == 3, "checkpoint should cover entry 3, covers \(checkpoint.seq)")
        try expect(try await store.audit.checkpoints().count == 1, "checkpoint not stored")
        try expect(try await store.audit.checkpoint() == checkpoint, "a second checkpoint of the same head differs")
        try expect(try await store.audit.checkpoints().count == 1, "checkpointing the same head twice stored two")
        let verdict = try await store.audit.verifyChain(publicKey: nil)
        try expect(verdict.isIntact && verdict.checkpointsChecked == 1, "signed checkpoint does not verify: \(String(describing: verdict.problem))")
    }

    static let itemImports: Check = { store in
        let (record, shares, _) = try BankKeyCeremony.create(custodians: 3, threshold: 2)
        try await store.items.createBankKey(record, audit: AuditEvent(actor: "test", action: "bank.initialised", subject: "bank"))
        try expect(try await store.items.bankKey() == record, "bank key round trip differs")
        func version(_ id: String) throws -> NewItemVersion {
            let metadata = ItemMetadata(
                id: ItemID(rawValue: id), type: .trueFalse, occupation: OccupationCode(rawValue: "2-02-10-09"), levels: [.junior],
                directions: .all, point: "1.1.1", difficulty: 0.7, points: 1
            )
            let content = ItemContent(stem: "判断：\(id) 的题干。", answer: .truth(true))
            return NewItemVersion(
                metadata: metadata, sealed: try ItemEnvelope.seal(content, id: metadata.id, version: 1, to: try record.sealingKey()),
                status: .active, author: "test"
            )
        }
        try await store.items.importItems([try version("A-1"), try version("A-2")], audit: AuditEvent(actor: "test", action: "bank.imported", subject: "bank"))
        let auditBefore = try await store.audit.count()
        do {
            try await store.items.importItems([try version("A-3"), try version("A-2")], audit: AuditEvent(actor: "test", action: "bank.imported", subject: "bank"))
            throw ContractViolation("an import with an existing ID was accepted")
        } catch let error as ExamError {
            try expect(error.code == "duplicate_item", "expected duplicate_item, got \(error.code)")
            try expect(error.message.contains("A-2"), "the duplicate is not named")
        }
        try expect(try await store.items.count() == 2, "a refused import left items behind")
        try expect(try await store.audit.count() == auditBefore, "a refused import left an audit entry")
        let stored = try requireValue(try await store.items.version(of: ItemID(rawValue: "A-1"), version: nil))
        try expect(stored.version == 1 && stored.summary.status == .active, "stored version or status differs")
        let bank = try BankKeyCeremony.unseal(record, shares: Array(shares.prefix(2)))
        try expect(try ItemEnvelope.open(stored.sealed, id: ItemID(rawValue: "A-1"), version: 1, with: bank).stem == "判断：A-1 的题干。", "content does not round-trip")
        try expect(try await store.items.items(ItemFilter(level: .senior)).isEmpty, "level filter let a 初级 item through")
        try expect(try await store.items.items(ItemFilter(level: .junior)).count == 2, "level filter lost items")
    }

    static func requireValue<T>(_ value: T?) throws -> T {
        guard let value else { throw ContractViolation("expected a value, found nothing") }
        return value
    }

    static let bodyProfileOnce: Check = { store in
        try expect(try await store.body.profile() == nil, "a new store has a body profile")
        let profile = BodyProfile(name: "示范机构", code: "D01", createdAt: Date(millis: 1_800_000_000_000))
        try await store.body.create(profile, audit: AuditEvent(actor: "test", action: "body.initialised", subject: "body:D01"))
        try expect(try await store.body.profile() == profile, "profile round trip differs")
        do {
            try await store.body.create(profile, audit: AuditEvent(actor: "test", action: "body.initialised", subject: "body:D01"))
            throw ContractViolation("a second body profile was accepted")
        } catch let error as ExamError {
            try expect(error.code == "already_initialised", "expected already_initialised, got \(error.code)")
        }
    }
}
