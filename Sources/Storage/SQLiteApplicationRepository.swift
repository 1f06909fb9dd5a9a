import Accounts
import Audit
import ExamCore
import Foundation
import GRDB

struct SQLiteApplicationRepository: ApplicationRepository {
    let database: SQLiteDatabase

    func register(_ account: Account, identity: CandidateIdentity, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try Self.insertCandidate(account, identity, db)
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func importRoster(_ entries: [(account: Account, identity: CandidateIdentity, application: ApplicationRecord)], audit: AuditEvent) async throws {
        let database = database
        let encoded = try entries.map { try Self.encoded($0.application) }
        try await database.write { db in
            for (index, entry) in entries.enumerated() {
                try Self.insertCandidate(entry.account, entry.identity, db)
                try Self.insertApplication(entry.application, form: encoded[index].form, eligibility: encoded[index].eligibility, db)
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    private static func insertCandidate(_ account: Account, _ identity: CandidateIdentity, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE username = ?", arguments: [account.username]) == true {
            throw ExamError(.conflict, code: "duplicate_username", message: "用户名已被使用 (the username is already taken)")
        }
        if try Bool.fetchOne(
            db, sql: "SELECT 1 FROM candidate WHERE id_type = ? AND id_number = ?", arguments: [identity.idType.rawValue, identity.idNumber]
        ) == true {
            throw ExamError(
                .conflict, code: "duplicate_identity",
                message: "该证件已注册，请用原账号登录或联系考务人员 (this identity document is already registered)"
            )
        }
        try SQLiteAccountRepository.insert(account, db)
        try db.execute(
            sql: "INSERT INTO candidate (account_id, name, id_type, id_number, gender, birth_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [account.id.rawValue, identity.name, identity.idType.rawValue, identity.idNumber, identity.gender.rawValue,
                        identity.birthDate, account.createdAt.millis]
        )
    }

    private static func encoded(_ application: ApplicationRecord) throws -> (form: String, eligibility: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (String(decoding: try encoder.encode(application.form), as: UTF8.self), String(decoding: try encoder.encode(application.eligibility), as: UTF8.self))
    }

    private static func insertApplication(_ application: ApplicationRecord, form: String, eligibility: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO application (id, account_id, occupation, level, direction, form, eligibility, eligible, clause, commitment_sha256,
                                         committed_at, client_address, user_agent, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [application.id, application.accountID.rawValue, application.form.occupation.rawValue, application.form.level.rawValue,
                        application.form.direction, form, eligibility, application.eligibility.eligible, application.eligibility.metClause,
                        application.commitmentSHA256, application.committedAt.millis, application.clientAddress, application.userAgent,
                        application.status.rawValue, application.createdAt.millis]
        )
    }

    func identity(of accountID: AccountID) async throws -> CandidateIdentity? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM candidate WHERE account_id = ?", arguments: [accountID.rawValue]).map { row in
                CandidateIdentity(
                    name: row["name"], idType: IDType(rawValue: row["id_type"]) ?? .passport, idNumber: row["id_number"],
                    gender: NationalID.Gender(rawValue: row["gender"]) ?? .male, birthDate: row["birth_date"]
                )
            }
        }
    }

    func candidate(idNumber: String) async throws -> AccountID? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT account_id FROM candidate WHERE id_number = ? ORDER BY id_type LIMIT 1", arguments: [idNumber])
                .map(AccountID.init(rawValue:))
        }
    }

    func submit(_ application: ApplicationRecord, audit: AuditEvent) async throws {
        let database = database
        let (form, eligibility) = try Self.encoded(application)
        try await database.write { db in
            let open = try Bool.fetchOne(
                db,
                sql: "SELECT 1 FROM application WHERE account_id = ? AND occupation = ? AND level = ? AND status IN ('submitted', 'approved')",
                arguments: [application.accountID.rawValue, application.form.occupation.rawValue, application.form.level.rawValue]
            ) ?? false
            guard !open else {
                throw ExamError(
                    .conflict, code: "duplicate_application",
                    message: "您已有该职业\(application.form.level.rawValue)的申报在审核中或已通过 (an application for this occupation and level is already open)"
                )
            }
            try Self.insertApplication(application, form: form, eligibility: eligibility, db)
            _ = try database.appendAudit(audit, in: db)
        }
    }

    func applications(_ filter: ApplicationFilter) async throws -> [ApplicationRecord] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let status = filter.status { conditions.append("status = ?"); arguments.append(status.rawValue) }
        if let occupation = filter.occupation { conditions.append("occupation = ?"); arguments.append(occupation.rawValue) }
        if let level = filter.level { conditions.append("level = ?"); arguments.append(level.rawValue) }
        if let account = filter.accountID { conditions.append("account_id = ?"); arguments.append(account.rawValue) }
        let condition = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        return try await database.read { [arguments] db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM application WHERE \(condition) ORDER BY created_at DESC, id DESC", arguments: StatementArguments(arguments)
            ).map(Self.record)
        }
    }

    func application(id: String) async throws -> ApplicationRecord? {
        try await database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM application WHERE id = ?", arguments: [id]).map(Self.record) }
    }

    func decide(_ id: String, from: ApplicationStatus, to: ApplicationStatus, reason: String?, by: String, at: Date, audit: AuditEvent) async throws {
        let database = database
        try await database.write { db in
            try db.execute(
                sql: "UPDATE application SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ?",
                arguments: [to.rawValue, reason, by, at.millis, id, from.rawValue]
            )
            guard db.changesCount == 1 else {
                guard let current = try String.fetchOne(db, sql: "SELECT status FROM application WHERE id = ?", arguments: [id]) else {
                    throw ExamError(.notFound, code: "not_found", message: "no application \(id)")
                }
                throw ExamError(.conflict, code: "wrong_status", message: "the application is \(current), not \(from.rawValue)")
            }
            _ = try database.appendAudit(audit, in: db)
        }
    }

    static func record(_ row: Row) throws -> ApplicationRecord {
        let decoder = JSONDecoder()
        let form: String = row["form"]
        let eligibility: String = row["eligibility"]
        let decidedAt: Int64? = row["decided_at"]
        return ApplicationRecord(
            id: row["id"], accountID: AccountID(rawValue: row["account_id"]),
            form: try decoder.decode(ApplicationForm.self, from: Data(form.utf8)),
            eligibility: try decoder.decode(EligibilityResult.self, from: Data(eligibility.utf8)),
            commitmentSHA256: row["commitment_sha256"], committedAt: Date(millis: row["committed_at"]), clientAddress: row["client_address"],
            userAgent: row["user_agent"], status: ApplicationStatus(rawValue: row["status"]) ?? .submitted, reason: row["reason"],
            decidedBy: row["decided_by"], decidedAt: decidedAt.map(Date.init(millis:)), createdAt: Date(millis: row["created_at"])
        )
    }
}
