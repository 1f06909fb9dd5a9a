import Audit
import ExamCore
import Foundation
import GRDB

/// How hard the database works to keep what it acknowledged.
public enum Durability: String, Sendable, Codable, CaseIterable {
    /// Every commit is fsync'd before it returns (SQLite `synchronous=FULL`): an acknowledged
    /// write survives a power cut. The default, and required for anything shown to a user as saved.
    case full
    /// Commits reach the OS but the WAL is synced only at checkpoints (`synchronous=NORMAL`):
    /// faster, still consistent after a crash, but the last commits may be lost on power failure.
    case normal
}

/// Settings of the SQLite backend.
public struct SQLiteConfiguration: Sendable {
    public var durability: Durability
    /// How long a writer waits for the write lock before failing.
    public var busyTimeout: TimeInterval
    public var maximumReaderCount: Int

    public init(
        durability: Durability = .full, busyTimeout: TimeInterval = 10,
        maximumReaderCount: Int = 8
    ) {
        self.durability = durability
        self.busyTimeout = busyTimeout
        self.maximumReaderCount = maximumReaderCount
    }
}

/// One SQLite file in WAL mode behind a GRDB `DatabasePool`, migrated on open.
///
/// Repositories share it; none hands a connection out of the storage layer.
public final class SQLiteDatabase: Sendable {
    let pool: DatabasePool
    let configuration: SQLiteConfiguration
    let clock: any WallClock
    let signingKey: BodySigningKey?

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    /// - Parameter signingKey: the body's key, for audit checkpoints; nil opens read-mostly tools.
    /// - Parameter readOnly: open without migrating or writing anything (for audits of a copy); the
    ///   schema must already be at this build's version.
    public init(
        path: String, configuration: SQLiteConfiguration = .init(), clock: any WallClock = SystemWallClock(),
        signingKey: BodySigningKey? = nil, readOnly: Bool = false
    ) throws {
        var config = Configuration()
        config.readonly = readOnly
        config.journalMode = .wal
        config.busyMode = .timeout(configuration.busyTimeout)
        config.maximumReaderCount = configuration.maximumReaderCount
        config.foreignKeysEnabled = true
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        do {
            self.pool = try DatabasePool(path: path, configuration: config)
            if readOnly {
                let applied = try pool.read { db in try Migrations.migrator().appliedMigrations(db) }
                guard applied == (try Migrations.files().map(\.0)) else {
                    throw ExamError(
                        .integrity, code: "schema_mismatch",
                        message: "the database schema (\(applied.last ?? "empty")) is not this version's; open it read-write once to migrate"
                    )
                }
            } else {
                // GRDB switches the writer to synchronous=NORMAL when it enables WAL, after
                // prepareDatabase ran; set the chosen level again on the (single, long-lived) writer.
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
                try Migrations.migrator().migrate(pool)
            }
        } catch {
            throw StorageError.wrap(error, "cannot open the database")
        }
        self.configuration = configuration
        self.clock = clock
        self.signingKey = signingKey
        if let signingKey, !readOnly {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO signing_key (key_id, public_key, created_at) VALUES (?, ?, ?)",
                    arguments: [signingKey.keyID, signingKey.publicKeyHex, clock.now().millis]
                )
            }
        }
    }

    /// The repositories over this database.
    public var store: Store {
        Store(
            body: SQLiteBodyRepository(database: self),
            accounts: SQLiteAccountRepository(database: self),
            sessions: SQLiteSessionRepository(database: self),
            audit: SQLiteAuditLog(database: self),
            items: SQLiteItemRepository(database: self),
            papers: SQLitePaperRepository(database: self),
            applications: SQLiteApplicationRepository(database: self),
            sittings: SQLiteSittingRepository(database: self),
            evidence: SQLiteEvidenceRepository(database: self),
            plans: SQLitePlanRepository(database: self),
            delivery: SQLiteDeliveryRepository(database: self),
            proctoring: SQLiteProctoringRepository(database: self),
            marking: SQLiteMarkingRepository(database: self),
            results: SQLiteResultRepository(database: self)
        )
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Migrations.migrator().appliedMigrations(db) }
    }

    /// The journal mode and synchronous setting in force (for diagnostics and tests).
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            )
        }
    }

    /// Runs a write transaction and maps database errors to ``StorageError``.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(work)
        } catch let error as ExamError {
            throw error
        } catch {
            throw StorageError.wrap(error, "a database write failed")
        }
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(work)
        } catch {
            throw StorageError.wrap(error, "a database read failed")
        }
    }
}

/// The numbered SQL migrations shipped in `Migrations/`.
enum Migrations {
    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in try files() {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }

    /// Migration files sorted by their number prefix.
    static func files() throws -> [(String, String)] {
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw ExamError(.internalFailure, code: "migrations_missing", message: "the SQL migrations are not bundled")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        return try names.map { name in
            (String(name.dropLast(4)), try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        }
    }
}
