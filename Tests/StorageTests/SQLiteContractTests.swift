import Accounts
import Audit
import ExamCore
import ExamTesting
import Foundation
import Storage
import Testing

/// The storage contract, run against the SQLite backend on a real file.
@Suite struct SQLiteContractTests {
    @Test(arguments: StorageContract.checks.map(\.name))
    func contract(_ name: String) async throws {
        let check = try #require(StorageContract.checks.first { $0.name == name })
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try DataDirectory(path: directory.file("data")).initialise(clock: ManualWallClock())
        try await check.run(database.store)
    }

    @Test func databaseIsWALWithFullSyncByDefault() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try DataDirectory(path: directory.file("data")).initialise()
        let settings = try await database.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "synchronous=FULL so every acknowledged commit is fsync'd")
    }

    @Test func normalDurabilityIsAnExplicitChoice() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try DataDirectory(path: directory.file("data")).initialise(configuration: .init(durability: .normal))
        #expect(try await database.durabilitySettings().synchronous == 1)
    }

    @Test func migrationsAreAppliedInOrderAndOnlyOnce() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = DataDirectory(path: directory.file("data"))
        let first = try dataDirectory.initialise()
        #expect(try first.appliedMigrations().first == "0001_foundation")
        let account = Account(username: "kept", displayName: "Kept", roles: [.candidate], passwordHash: "$argon2id$x", createdAt: Date())
        try await first.store.accounts.create(account, audit: .init(actor: "t", action: "account.created", subject: "a"))
        // Reopening runs the migrator again: nothing is re-applied and the data stays.
        let second = try dataDirectory.open()
        #expect(try second.appliedMigrations() == first.appliedMigrations())
        #expect(try await second.store.accounts.account(username: "kept") != nil)
    }

    @Test func openingAnUninitialisedDirectoryExplainsWhatToDo() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let error = #expect(throws: ExamError.self) { try DataDirectory(path: directory.file("nothing")).open() }
        #expect(error?.code == "not_initialised")
        #expect(error?.message.contains("assay init") == true)
    }

    @Test func signingKeyFileIsOwnerOnly() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = DataDirectory(path: directory.file("data"))
        _ = try dataDirectory.initialise()
        let attributes = try FileManager.default.attributesOfItem(atPath: dataDirectory.signingKeyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let key = try #require(try dataDirectory.signingKey(create: false))
        // The database records the public half of the same key, and another body gets another key.
        let recorded = try await dataDirectory.open().store.audit.signingKeys()
        #expect(recorded == [key.keyID: key.publicKeyHex])
        let other = DataDirectory(path: directory.file("other"))
        _ = try other.initialise()
        #expect(try other.signingKey(create: false)?.keyID != key.keyID)
    }

    @Test func aMissingSigningKeyStopsWritesButNotReadOnlyAudits() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = DataDirectory(path: directory.file("data"))
        _ = try dataDirectory.initialise()
        try FileManager.default.removeItem(atPath: dataDirectory.signingKeyPath)
        let error = #expect(throws: ExamError.self) { try dataDirectory.open() }
        #expect(error?.code == "signing_key_missing")
        #expect(try await dataDirectory.openReadOnly().store.audit.count() == 0)
    }

    @Test func aFailedAuditAppendRollsBackTheChangeItRecords() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = DataDirectory(path: directory.file("data"))
        let database = try dataDirectory.initialise()
        // Make every audit insert fail, as a full disk or a constraint would.
        try RawSQLite.execute(
            dataDirectory.databasePath,
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        let account = Account(username: "ghost", displayName: "Ghost", roles: [.candidate], passwordHash: "$argon2id$x", createdAt: Date())
        await #expect(throws: ExamError.self) {
            try await database.store.accounts.create(account, audit: .init(actor: "t", action: "account.created", subject: "a"))
        }
        #expect(try await database.store.accounts.account(username: "ghost") == nil, "the account was kept without its audit entry")
    }

    @Test func schemaRefusesRowsTheDomainWouldNeverWrite() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = DataDirectory(path: directory.file("data"))
        _ = try dataDirectory.initialise()
        // A plaintext password, an unknown role: the schema itself says no.
        #expect(throws: (any Error).self) {
            try RawSQLite.execute(
                dataDirectory.databasePath,
                "INSERT INTO account (id, username, display_name, password_hash, created_at) VALUES ('x', 'eve', 'Eve', 'secret', 0)"
            )
        }
        #expect(throws: (any Error).self) {
            try RawSQLite.execute(
                dataDirectory.databasePath,
                "INSERT INTO account (id, username, display_name, password_hash, created_at) VALUES ('y', 'mallory', 'M', '$argon2id$v', 0); INSERT INTO account_role VALUES ('y', 'wizard')"
            )
        }
    }
}
