import Accounts
import Audit
import Crypto
import ExamCore
import Foundation
import Storage

/// Candidate registration and applications (申报): accounts with a checked identity, the honesty
/// commitment, the eligibility engine's explanation, and the administrator's decision.
public struct RegistrationService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]
    public let accounts: AccountService
    /// The 告知承诺书 text candidates accept, and its SHA-256 (recorded with each application).
    public let commitment: String
    public let commitmentSHA256: String
    public let clock: any WallClock

    public init(store: Store, standards: [OccupationStandard], accounts: AccountService, commitment: String, clock: any WallClock) {
        self.store = store
        self.standards = standards
        self.accounts = accounts
        self.commitment = commitment
        self.commitmentSHA256 = SHA256.hash(data: Data(commitment.utf8)).hexString
        self.clock = clock
    }

    /// Loads the commitment text from `Exams/commitment.md`.
    public static func commitmentText(examsDirectory: String) -> String {
        let path = (examsDirectory as NSString).appendingPathComponent("commitment.md")
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "本人承诺所填报信息真实、准确、完整，如有虚假，自愿承担相应责任。"
    }

    /// What a candidate sends to register.
    public struct Registration: Sendable, Codable {
        public var username: String
        public var password: String
        public var name: String
        public var idType: IDType
        public var idNumber: String
        public var gender: String?
        public var birthDate: String?

        public init(username: String, password: String, name: String, idType: IDType, idNumber: String, gender: String? = nil, birthDate: String? = nil) {
            self.username = username
            self.password = password
            self.name = name
            self.idType = idType
            self.idNumber = idNumber
            self.gender = gender
            self.birthDate = birthDate
        }
    }

    /// Creates a candidate account and identity; nothing is written unless every check passes.
    public func register(_ request: Registration) async throws -> (Account, CandidateIdentity) {
        let username = try Username.normalise(request.username)
        let identity = try CandidateIdentity.validated(
            name: request.name, idType: request.idType, idNumber: request.idNumber, gender: request.gender, birthDate: request.birthDate,
            today: clock.now()
        )
        try accounts.policy.check(request.password, username: username)
        if try await store.accounts.account(username: username) != nil {
            throw ExamError(.conflict, code: "duplicate_username", message: "用户名已被使用 (the username is already taken)")
        }
        let hasher = accounts.hasher
        let password = request.password
        let hash = try await accounts.hashing.run { try hasher.hash(password) }
        let account = Account(username: username, displayName: identity.name, roles: [.candidate], passwordHash: hash, createdAt: clock.now())
        try await store.applications.register(
            account, identity: identity,
            audit: AuditEvent(
                actor: account.id.rawValue, action: "candidate.registered", subject: "account:\(account.id)",
                payload: ["username": .string(username), "id_type": .string(identity.idType.rawValue), "id": .string(identity.maskedIDNumber)]
            )
        )
        return (account, identity)
    }

    /// A candidate applies: the form is checked against the standard, the eligibility engine
    /// explains the result, and the accepted commitment is recorded with time and client.
    /// - Throws: `not_a_candidate`, `commitment_required`, `commitment_changed`, `invalid_application`,
    ///   `duplicate_application`.
    public func apply(
        _ form: ApplicationForm, commitmentSHA256: String?, accepted: Bool, by account: Account, address: String?, userAgent: String?
    ) async throws -> ApplicationRecord {
        guard account.has(.candidate), try await store.applications.identity(of: account.id) != nil else {
            throw ExamError(.forbidden, code: "not_a_candidate", message: "只有已登记身份的考生可以申报 (only registered candidates apply)")
        }
        guard accepted else {
            throw ExamError.invalid("commitment_required", "请阅读并确认告知承诺书 (accept the honesty commitment to apply)")
        }
        guard commitmentSHA256 == self.commitmentSHA256 else {
            throw ExamError(.conflict, code: "commitment_changed", message: "告知承诺书已更新，请重新阅读后确认 (the commitment text changed; read it again)")
        }
        let now = clock.now()
        let problems = form.problems(in: standards, today: now)
        guard problems.isEmpty else { throw ExamError.invalid("invalid_application", problems.joined(separator: "; ")) }
        let standard = standards.first { $0.code == form.occupation }!
        let rules = standard.eligibility.first { $0.level == form.level } ?? LevelEligibility(level: form.level, requiresTraining: false, clauses: [])
        let hours = standard.levels.first { $0.level == form.level }?.trainingHours ?? 0
        let result = EligibilityEngine.evaluate(form.profile, rules: rules, trainingHours: hours, on: now)
        let record = ApplicationRecord(
            id: CalendarDate.recordID("APP", at: now, bytes: 4), accountID: account.id, form: form, eligibility: result, commitmentSHA256: self.commitmentSHA256,
            committedAt: now, clientAddress: address, userAgent: userAgent.map { String($0.prefix(300)) }, status: .submitted, createdAt: now
        )
        try await store.applications.submit(
            record,
            audit: AuditEvent(
                actor: account.id.rawValue, action: "application.submitted", subject: "application:\(record.id)",
                payload: [
                    "occupation": .string(form.occupation.rawValue), "level": .string(form.level.rawValue),
                    "direction": form.direction.map(JSONValue.string) ?? .null, "eligible": .bool(result.eligible),
                    "clause": result.metClause.map(JSONValue.string) ?? .null, "commitment_sha256": .string(self.commitmentSHA256),
                    "client_address": address.map(JSONValue.string) ?? .null,
                ]
            )
        )
        return record
    }

    /// The administrator approves or rejects a submitted application. A rejection needs a reason
    /// (the candidate sees it); so does approving one the engine found ineligible.
    public func decide(_ id: String, approve: Bool, reason rawReason: String?, by account: Account) async throws -> ApplicationRecord {
        guard let application = try await store.applications.application(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no application \(id)")
        }
        let reason = rawReason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let reason, reason.count > 500 { throw ExamError.invalid("reason_too_long", "理由至多500字 (at most 500 characters)") }
        if !approve && reason == nil {
            throw ExamError.invalid("reason_required", "不予通过须填写理由，考生将看到该理由 (a rejection needs a reason the candidate will see)")
        }
        if approve && !application.eligibility.eligible && reason == nil {
            throw ExamError.invalid(
                "reason_required", "该申报不满足任何申报条件，如仍通过须写明依据 (approving an ineligible application needs the grounds)"
            )
        }
        let to: ApplicationStatus = approve ? .approved : .rejected
        let now = clock.now()
        try await store.applications.decide(
            id, from: .submitted, to: to, reason: reason, by: account.id.rawValue, at: now,
            audit: AuditEvent(
                actor: account.id.rawValue, action: approve ? "application.approved" : "application.rejected", subject: "application:\(id)",
                payload: [
                    "reason": reason.map(JSONValue.string) ?? .null, "engine_eligible": .bool(application.eligibility.eligible),
                    "clause": application.eligibility.metClause.map(JSONValue.string) ?? .null,
                ]
            )
        )
        return try await store.applications.application(id: id) ?? application
    }

    /// A candidate withdraws their own submitted application.
    public func withdraw(_ id: String, by account: Account) async throws -> ApplicationRecord {
        guard let application = try await store.applications.application(id: id), application.accountID == account.id else {
            throw ExamError(.notFound, code: "not_found", message: "no application \(id)")
        }
        try await store.applications.decide(
            id, from: .submitted, to: .withdrawn, reason: nil, by: account.id.rawValue, at: clock.now(),
            audit: AuditEvent(actor: account.id.rawValue, action: "application.withdrawn", subject: "application:\(id)")
        )
        return try await store.applications.application(id: id) ?? application
    }

    /// One imported candidate: the login and the initial password, shown once.
    public struct RosterCredential: Sendable, Codable {
        public var line: Int
        public var username: String
        public var name: String
        public var password: String
        public var application: String
        public var eligible: Bool
        public var clause: String?
    }

    /// Registers every candidate of a roster with their application, all or nothing. The body
    /// collected the 告知承诺书 (on paper or its own form); the application records that.
    /// - Throws: ``RosterFailure`` listing every bad row; `duplicate_identity`/`duplicate_username`
    ///   when a row clashes with a registered candidate.
    public func importRoster(rows: [[String]], file: String, actor: String) async throws -> [RosterCredential] {
        let now = clock.now()
        let parsed: [RosterFormat.Row]
        switch RosterFormat.parse(rows: rows, file: file, standards: standards, today: now) {
        case .success(let rows): parsed = rows
        case .failure(let failure): throw failure
        }
        var clashes: [String] = []
        for row in parsed {
            if try await store.accounts.account(username: row.username) != nil {
                clashes.append("\(file):\(row.line): 用户名 \(row.username) is already taken")
            }
            if try await store.applications.candidate(idNumber: row.identity.idNumber) != nil {
                clashes.append("\(file):\(row.line): 证件号码 \(row.identity.maskedIDNumber) is already registered")
            }
        }
        guard clashes.isEmpty else { throw RosterFailure(clashes) }
        let hasher = accounts.hasher
        var entries: [(account: Account, identity: CandidateIdentity, application: ApplicationRecord)] = []
        var credentials: [RosterCredential] = []
        for row in parsed {
            let password = PasswordPolicy.generatedPassword()
            let hash = try await accounts.hashing.run { try hasher.hash(password) }
            let account = Account(username: row.username, displayName: row.identity.name, roles: [.candidate], passwordHash: hash, createdAt: now)
            let standard = standards.first { $0.code == row.form.occupation }!
            let rules = standard.eligibility.first { $0.level == row.form.level } ?? LevelEligibility(level: row.form.level, requiresTraining: false, clauses: [])
            let result = EligibilityEngine.evaluate(
                row.form.profile, rules: rules, trainingHours: standard.levels.first { $0.level == row.form.level }?.trainingHours ?? 0, on: now
            )
            let application = ApplicationRecord(
                id: CalendarDate.recordID("APP", at: now, bytes: 4), accountID: account.id, form: row.form, eligibility: result, commitmentSHA256: commitmentSHA256, committedAt: now,
                clientAddress: "roster:\((file as NSString).lastPathComponent):\(row.line)", userAgent: "roster import by \(actor) (commitment collected by the body)",
                status: .submitted, createdAt: now
            )
            entries.append((account, row.identity, application))
            credentials.append(RosterCredential(
                line: row.line, username: row.username, name: row.identity.name, password: password, application: application.id,
                eligible: result.eligible, clause: result.metClause
            ))
        }
        try await store.applications.importRoster(
            entries,
            audit: AuditEvent(
                actor: actor, action: "roster.imported", subject: "roster:\((file as NSString).lastPathComponent)",
                payload: [
                    "candidates": .int(entries.count), "eligible": .int(credentials.filter(\.eligible).count),
                    "applications": .array(entries.map { .string($0.application.id) }),
                ]
            )
        )
        return credentials
    }


}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
