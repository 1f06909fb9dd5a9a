import Audit
import Crypto
import ExamCore
import Foundation

/// The data directory (`--data DIR`): one SQLite database and the body's keys.
///
/// ```
/// DIR/assay.sqlite (+ -wal, -shm)   the database
/// DIR/keys/body-signing.key         the body's Ed25519 private key (mode 0600)
/// ```
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = (path as NSString).standardizingPath
    }

    public var databasePath: String { (path as NSString).appendingPathComponent("assay.sqlite") }
    public var keysPath: String { (path as NSString).appendingPathComponent("keys") }
    public var signingKeyPath: String { (keysPath as NSString).appendingPathComponent("body-signing.key") }

    /// Whether `init` has run here (a database exists).
    public var isInitialised: Bool { FileManager.default.fileExists(atPath: databasePath) }

    /// Creates the directory and its key folder with owner-only permissions.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: keysPath, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: keysPath)
        } catch {
            throw ExamError(.unavailable, code: "data_dir_unwritable", message: "cannot create the data directory \(path)")
        }
    }

    /// Loads the body's signing key, creating it (mode 0600) if `create` is set and none exists.
    public func signingKey(create: Bool) throws -> BodySigningKey? {
        if let data = FileManager.default.contents(atPath: signingKeyPath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: text), let key = try? BodySigningKey(rawRepresentation: raw) else {
                throw ExamError(.integrity, code: "bad_signing_key", message: "the key file \(signingKeyPath) is damaged")
            }
            return key
        }
        guard create else { return nil }
        try self.create()
        let key = BodySigningKey()
        let text = key.privateKey.rawRepresentation.base64EncodedString() + "\n"
        guard FileManager.default.createFile(
            atPath: signingKeyPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw ExamError(.unavailable, code: "data_dir_unwritable", message: "cannot write \(signingKeyPath)")
        }
        return key
    }

    public var personalDataKeyPath: String { (keysPath as NSString).appendingPathComponent("personal-data.key") }

    /// The 32-byte key that seals candidates' documents, created (mode 0600) on first use. It is not
    /// in the database, so a copy of the database alone does not reveal the documents; back it up
    /// with the signing key.
    public func personalDataKey(generate: () -> Data) throws -> Data {
        if let data = FileManager.default.contents(atPath: personalDataKeyPath) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: text), raw.count == 32 else {
                throw ExamError(.integrity, code: "bad_personal_data_key", message: "the key file \(personalDataKeyPath) is damaged")
            }
            return raw
        }
        try create()
        let raw = generate()
        guard FileManager.default.createFile(
            atPath: personalDataKeyPath, contents: Data((raw.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw ExamError(.unavailable, code: "data_dir_unwritable", message: "cannot write \(personalDataKeyPath)")
        }
        return raw
    }

    /// Opens the database of an initialised directory.
    /// - Throws: `not_initialised` if `assay init` has not run here.
    public func open(
        configuration: SQLiteConfiguration = .init(), clock: any WallClock = SystemWallClock()
    ) throws -> SQLiteDatabase {
        guard isInitialised else {
            throw ExamError(
                .notFound, code: "not_initialised",
                message: "\(path) is not an Assay data directory; run `assay init --data \(path)` first"
            )
        }
        guard let key = try signingKey(create: false) else {
            throw ExamError(
                .integrity, code: "signing_key_missing",
                message: "the body's signing key \(signingKeyPath) is missing; restore it from backup (audit checkpoints cannot be signed without it)"
            )
        }
        return try SQLiteDatabase(path: databasePath, configuration: configuration, clock: clock, signingKey: key)
    }

    /// Opens the database without changing anything: no migration, no key registration, no writes.
    /// For verifying and reading the record, including on a copy handed to an auditor.
    public func openReadOnly() throws -> SQLiteDatabase {
        guard isInitialised else {
            throw ExamError(.notFound, code: "not_initialised", message: "\(path) is not an Assay data directory")
        }
        return try SQLiteDatabase(path: databasePath, readOnly: true)
    }

    /// Creates the directory, the signing key and the database, returning the opened database.
    public func initialise(
        configuration: SQLiteConfiguration = .init(), clock: any WallClock = SystemWallClock()
    ) throws -> SQLiteDatabase {
        try create()
        let key = try signingKey(create: true)
        return try SQLiteDatabase(path: databasePath, configuration: configuration, clock: clock, signingKey: key)
    }
}
