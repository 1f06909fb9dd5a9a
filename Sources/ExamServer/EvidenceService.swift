import Accounts
import Audit
import Crypto
import Documents
import ExamCore
import Foundation
import Storage

/// Candidates' documents (证明材料 and the ticket photo): checked by content, sealed at rest under the
/// data directory's personal-data key, read back by their owner and by the staff who review applications.
public struct EvidenceService: Sendable {
    public let store: Store
    public let key: PersonalDataKey
    public let clock: any WallClock

    public init(store: Store, key: PersonalDataKey, clock: any WallClock) {
        self.store = store
        self.key = key
        self.clock = clock
    }

    /// What a document is, without its bytes.
    public struct View: Sendable, Codable, Equatable {
        public var id: String
        public var kind: String
        public var kindName: String
        public var contentType: String
        public var fileName: String
        public var size: Int
        public var sha256: String
        public var uploadedAt: Date

        init(_ record: EvidenceRecord) {
            id = record.id
            kind = record.kind
            kindName = EvidenceKind(rawValue: record.kind)?.chineseName ?? record.kind
            contentType = record.contentType
            fileName = record.fileName
            size = record.size
            sha256 = record.sha256
            uploadedAt = record.uploadedAt
        }
    }

    /// Checks and seals an upload. The file name is kept for people (trimmed, no path, at most 120
    /// characters); the type is the content's.
    public func upload(_ data: Data, kind rawKind: String?, fileName: String?, declaredType: String?, by account: Account) async throws -> View {
        guard let kind = rawKind.flatMap(EvidenceKind.init(rawValue:)) else {
            throw ExamError.invalid(
                "bad_kind", "kind 须为 \(EvidenceKind.allCases.map(\.rawValue).joined(separator: "、")) 之一 (kind must be one of these)"
            )
        }
        let type = try EvidenceCheck.check(data, kind: kind, declared: declaredType)
        let now = clock.now()
        let id = CalendarDate.recordID("EVD", at: now, bytes: 5)
        let name = Self.cleanName(fileName, id: id, type: type)
        let sealed = try key.seal(data, id: id, owner: account.id.rawValue)
        let digest = SHA256.hash(data: data).hexString
        let record = EvidenceRecord(
            id: id, owner: account.id, kind: kind.rawValue, contentType: type.rawValue, fileName: name, size: data.count, sha256: digest,
            wrappedKey: sealed.wrappedKey, box: sealed.box, uploadedAt: now
        )
        try await store.evidence.add(
            record,
            audit: AuditEvent(
                actor: account.id.rawValue, action: "evidence.uploaded", subject: "evidence:\(id)",
                payload: ["kind": .string(kind.rawValue), "type": .string(type.rawValue), "size": .int(data.count), "sha256": .string(digest)]
            )
        )
        return View(record)
    }

    public func list(owner: AccountID) async throws -> [View] {
        try await store.evidence.evidence(owner: owner).map(View.init)
    }

    /// The document's bytes, for its owner or reviewing staff; a staff read is an audit entry.
    public func read(_ id: String, by account: Account) async throws -> (View, Data) {
        guard let record = try await store.evidence.evidence(id: id) else {
            throw ExamError(.notFound, code: "not_found", message: "no evidence \(id)")
        }
        let isOwner = record.owner == account.id
        guard isOwner || account.has(.examAdmin) || account.has(.supervisor) else {
            // Another candidate's document does not exist as far as this caller is concerned.
            throw ExamError(.notFound, code: "not_found", message: "no evidence \(id)")
        }
        let data = try key.open(.init(box: record.box, wrappedKey: record.wrappedKey), id: record.id, owner: record.owner.rawValue)
        if !isOwner {
            try await store.evidence.record(
                AuditEvent(actor: account.id.rawValue, action: "evidence.viewed", subject: "evidence:\(id)", payload: ["owner": .string(record.owner.rawValue)])
            )
        }
        return (View(record), data)
    }

    /// The owner withdraws a document, unless an approved application stands on it.
    public func withdraw(_ id: String, by account: Account) async throws {
        guard let record = try await store.evidence.evidence(id: id), record.owner == account.id else {
            throw ExamError(.notFound, code: "not_found", message: "no evidence \(id)")
        }
        let approved = try await store.applications.applications(ApplicationFilter(accountID: account.id)).contains { $0.status == .approved }
        if approved && record.kind != EvidenceKind.photo.rawValue {
            throw ExamError(
                .conflict, code: "evidence_in_use",
                message: "申报已审核通过，证明材料须留存备查，不能删除 (an approved application rests on it; it is kept for the record)"
            )
        }
        try await store.evidence.withdraw(
            id, at: clock.now(),
            audit: AuditEvent(actor: account.id.rawValue, action: "evidence.withdrawn", subject: "evidence:\(id)", payload: ["kind": .string(record.kind)])
        )
    }

    /// The latest photo of a candidate, for the admission ticket.
    public func photo(of owner: AccountID) async throws -> View? {
        try await store.evidence.evidence(owner: owner).last { $0.kind == EvidenceKind.photo.rawValue }.map(View.init)
    }

    static func cleanName(_ name: String?, id: String, type: EvidenceType) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let printable = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        return printable.isEmpty ? "\(id).\(type.fileExtension)" : String(printable.prefix(120))
    }
}
