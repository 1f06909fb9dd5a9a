import Accounts
import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteAccountRepository: AccountRepository {
    let database: SQLiteDatabase

    func create(_ account: Account, audit: AuditEvent) async throws {
        let database = database
        do {
            try await database.pool.write { db in
                try Self.insert(account, db)
                _ = try database.appendAudit(audit, in: db)
            }
        } catch where StorageError.isUniqueViolation(error) {
            throw ExamError(.conflict, code: "duplicate_username", message: "the username is already taken")
        } catch {
            throw StorageError.wrap(error, "cannot create the account")
        }
    }

    /// Inserts an account with its roles and occupations inside a caller's transaction.
    static func insert(_ account: Account, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO account (id, username, display_name, password_hash, disabled, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [account.id.rawValue, account.username, account.displayName, account.passwordHash,
                        account.disabled, account.createdAt.millis]
        )
        for role in account.roles {
            try db.execute(sql: "INSERT INTO account_role (account_id, role) VALUES (?, ?)", arguments: [account.id.rawValue, role.rawValue])
        }
        try insertOccupations(account.occupations, of: account.id, db)
    }

    func account(username: String) async throws -> Account? {
        try await database.read { db in try Self.fetch(db, where: "a.username = ?", username).first }
    }

    func account(id: AccountID) async throws -> Account? {
        try await database.read { db in try Self.fetch(db, where: "a.id = ?", id.rawValue).first }
    }

    func list() async throws -> [Account] {
        try await database.read { db in try Self.fetch(db, where: "1 = 1", nil) }
    }

    func count() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0 }
    }

    func setDisabled(_ id: AccountID, disabled: Bool, at time: Date, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(sql: "UPDATE account SET disabled = ? WHERE id = ?", arguments: [disabled, id.rawValue])
            guard db.changesCount == 1 else {
                throw ExamError(.notFound, code: "not_found", message: "no such account")
            }
            if disabled {
                try db.execute(
                    sql: "UPDATE auth_session SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
                    arguments: [time.millis, id.rawValue]
                )
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func setPasswordHash(_ id: AccountID, hash: String, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE id = ?", arguments: [hash, id.rawValue])
            guard db.changesCount == 1 else {
                throw ExamError(.notFound, code: "not_found", message: "no such account")
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func setOccupations(_ id: AccountID, occupations: [OccupationCode], audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE id = ?", arguments: [id.rawValue]) != nil else {
                throw ExamError(.notFound, code: "not_found", message: "no such account")
            }
            try db.execute(sql: "DELETE FROM account_occupation WHERE account_id = ?", arguments: [id.rawValue])
            try Self.insertOccupations(occupations, of: id, db)
            _ = try database.appendAudit(audit, in: db)
        }
    }

    private static func insertOccupations(_ occupations: [OccupationCode], of id: AccountID, _ db: Database) throws {
        for occupation in Set(occupations) {
            try db.execute(
                sql: "INSERT INTO account_occupation (account_id, occupation) VALUES (?, ?)", arguments: [id.rawValue, occupation.rawValue]
            )
        }
    }

    private static func fetch(_ db: Database, where condition: String, _ argument: String?) throws -> [Account] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.username, a.display_name, a.password_hash, a.disabled, a.created_at,
                       group_concat(r.role) AS roles,
                       (SELECT group_concat(o.occupation) FROM account_occupation o WHERE o.account_id = a.id) AS occupations
                FROM account a LEFT JOIN account_role r ON r.account_id = a.id
                WHERE \(condition) GROUP BY a.id ORDER BY a.username
                """,
            arguments: argument.map { [$0] } ?? []
        )
        return rows.map { row in
            let roleCodes: String = row["roles"] ?? ""
            let occupationCodes: String = row["occupations"] ?? ""
            return Account(
                id: AccountID(rawValue: row["id"]), username: row["username"], displayName: row["display_name"],
                roles: roleCodes.split(separator: ",").compactMap { Role(rawValue: String($0)) },
                occupations: occupationCodes.split(separator: ",").map { OccupationCode(rawValue: String($0)) },
                passwordHash: row["password_hash"], disabled: row["disabled"], createdAt: Date(millis: row["created_at"])
            )
        }
    }
}
