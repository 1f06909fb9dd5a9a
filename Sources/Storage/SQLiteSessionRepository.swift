import Accounts
import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteSessionRepository: SessionRepository {
    let database: SQLiteDatabase

    func create(_ session: AuthSession, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO auth_session (token_hash, account_id, created_at, last_seen_at, expires_at, revoked_at, client_address)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session.tokenHash, session.accountID.rawValue, session.createdAt.millis,
                            session.lastSeenAt.millis, session.expiresAt.millis, session.revokedAt?.millis,
                            session.clientAddress]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func session(tokenHash: String) async throws -> AuthSession? {
        try await database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT token_hash, account_id, created_at, last_seen_at, expires_at, revoked_at, client_address
                    FROM auth_session WHERE token_hash = ?
                    """,
                arguments: [tokenHash]
            ).map { row in
                AuthSession(
                    tokenHash: row["token_hash"], accountID: AccountID(rawValue: row["account_id"]),
                    createdAt: Date(millis: row["created_at"]), lastSeenAt: Date(millis: row["last_seen_at"]),
                    expiresAt: Date(millis: row["expires_at"]),
                    revokedAt: (row["revoked_at"] as Int64?).map(Date.init(millis:)),
                    clientAddress: row["client_address"]
                )
            }
        }
    }

    func touch(tokenHash: String, at time: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE auth_session SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [time.millis, tokenHash]
            )
        }
    }

    func revoke(tokenHash: String, at time: Date, audit: AuditEvent) async throws -> Bool {
        let database = database
        return try await database.write { db in
            try db.execute(
                sql: "UPDATE auth_session SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [time.millis, tokenHash]
            )
            guard db.changesCount == 1 else { return false }
            _ = try database.appendAudit(audit, in: db)
            return true
        }
    }

    func deleteEnded(before time: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM auth_session WHERE expires_at < ? OR revoked_at < ?",
                arguments: [time.millis, time.millis]
            )
            return db.changesCount
        }
    }
}

struct SQLiteBodyRepository: BodyRepository {
    let database: SQLiteDatabase

    func profile() async throws -> BodyProfile? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT name, code, created_at FROM body_profile WHERE id = 1").map {
                BodyProfile(name: $0["name"], code: $0["code"], createdAt: Date(millis: $0["created_at"]))
            }
        }
    }

    func create(_ profile: BodyProfile, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM body_profile") ?? 0 > 0 {
                throw ExamError(.conflict, code: "already_initialised", message: "this data directory already holds a body")
            }
            try db.execute(
                sql: "INSERT INTO body_profile (id, name, code, created_at) VALUES (1, ?, ?, ?)",
                arguments: [profile.name, profile.code, profile.createdAt.millis]
            )
            _ = try database.appendAudit(audit, in: db)
        }
    }
}
