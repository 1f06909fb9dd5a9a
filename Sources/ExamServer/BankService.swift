import Audit
import Crypto
import ExamCore
import ExamStandards
import Foundation
import ItemBank
import PaperAssembly
import Storage

/// The item bank's operations for the CLI and the server: key ceremony and imports.
public struct BankService: Sendable {
    public let store: Store
    public let standards: [OccupationStandard]

    public init(store: Store, standards: [OccupationStandard]) {
        self.store = store
        self.standards = standards
    }

    /// Creates the bank's keys and returns the custodians' shares, to be shown once each.
    /// - Throws: `already_initialised`, `bad_threshold`.
    public func initialise(custodians: Int, threshold: Int, actor: String) async throws -> [CustodianShare] {
        if try await store.items.bankKey() != nil {
            throw ExamError(.conflict, code: "already_initialised", message: "the item bank already has its keys")
        }
        let (record, shares, _) = try BankKeyCeremony.create(custodians: custodians, threshold: threshold)
        try await store.items.createBankKey(
            record,
            audit: AuditEvent(
                actor: actor, action: "bank.initialised", subject: "bank:\(record.bankID)",
                payload: ["custodians": .int(custodians), "threshold": .int(threshold)]
            )
        )
        return shares
    }

    /// Makes a new KEK and re-wraps every item version's data key under it, in one transaction;
    /// item ciphertexts are untouched and the custodians' shares stay valid.
    /// - Returns: the new key version and how many versions were re-wrapped.
    public func rotate(shares: [CustodianShare], actor: String) async throws -> (keyVersion: Int, versions: Int) {
        guard let record = try await store.items.bankKey() else {
            throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet")
        }
        let old = try BankKeyCeremony.unseal(record, shares: shares)
        let (next, new) = try BankKeyCeremony.rotate(record, shares: shares)
        let rewrapped = try await store.items.sealedVersions().map { item in
            (id: item.id, version: item.version, sealed: try ItemEnvelope.rewrap(item.sealed, id: item.id, version: item.version, from: old, to: new))
        }
        let papers = try await store.papers.sealedPapers().map { paper in
            (id: paper.id, sealed: try PaperSealing.rewrap(paper.sealed, paperID: paper.id, from: old, to: new))
        }
        try await store.items.rotateBankKey(
            from: record, to: next, rewrapped: rewrapped, papers: papers,
            audit: AuditEvent(
                actor: actor, action: "bank.key_rotated", subject: "bank:\(record.bankID)",
                payload: ["from": .int(record.kekVersion), "to": .int(next.kekVersion), "versions": .int(rewrapped.count), "papers": .int(papers.count)]
            )
        )
        return (next.kekVersion, rewrapped.count)
    }

    /// What an import did.
    public struct ImportReport: Sendable {
        public var files: Int
        public var items: Int
        public var byType: [ItemType: Int]
    }

    /// Reads, checks, seals and stores every item of every file — or nothing, listing every problem.
    /// Needs only the bank's public key: the bank may stay sealed.
    /// - Throws: ``ItemImportFailure`` with every issue; `bank_not_initialised`; `duplicate_item`.
    public func importFiles(
        _ paths: [String], status: ItemStatus, actor: String, qti: QTIItemFormat.Classification? = nil
    ) async throws -> ImportReport {
        let drafts = try Self.read(paths, standards: standards, qti: qti)
        let files = paths.map { path -> JSONValue in
            let digest = FileManager.default.contents(atPath: path).map { SHA256.hash(data: $0).hexString } ?? ""
            return ["file": .string((path as NSString).lastPathComponent), "sha256": .string(digest)]
        }
        var report = try await importDrafts(drafts, status: status, actor: actor, source: .array(files))
        report.files = paths.count
        return report
    }

    /// Seals and stores checked drafts, all or nothing, with one audit entry naming their source.
    public func importDrafts(_ drafts: [ItemDraft], status: ItemStatus, actor: String, source: JSONValue) async throws -> ImportReport {
        guard let record = try await store.items.bankKey() else {
            throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet; run `assay bank init` first")
        }
        let sealingKey = try record.sealingKey()
        let versions = try drafts.map { draft in
            NewItemVersion(
                metadata: draft.metadata, sealed: try ItemEnvelope.seal(draft.content, id: draft.metadata.id, version: 1, to: sealingKey),
                status: status, author: actor
            )
        }
        try await store.items.importItems(
            versions,
            audit: AuditEvent(
                actor: actor, action: "bank.imported", subject: "bank:\(record.bankID)",
                payload: ["items": .int(versions.count), "status": .string(status.rawValue), "source": source]
            )
        )
        return ImportReport(files: 0, items: versions.count, byType: Dictionary(grouping: drafts, by: \.metadata.type).mapValues(\.count))
    }

    /// Reads and checks files without storing anything; IDs must be unique across all of them.
    /// `.xml` files are read as QTI items and given `qti` as their classification.
    public static func read(
        _ paths: [String], standards: [OccupationStandard], qti: QTIItemFormat.Classification? = nil
    ) throws -> [ItemDraft] {
        var drafts: [ItemDraft] = []
        var issues: [ItemIssue] = []
        var firstFile: [ItemID: String] = [:]
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                issues.append(ItemIssue(file: path, line: nil, itemID: nil, message: "cannot read the file"))
                continue
            }
            if path.lowercased().hasSuffix(".xml") {
                guard let qti else {
                    issues.append(ItemIssue(file: path, line: nil, itemID: nil, message: "QTI files need --occupation, --level and --point to classify their items"))
                    continue
                }
                switch QTIItemFormat.parse(data, file: path, classification: qti, standard: standards.first { $0.code == qti.occupation }) {
                case .success(let item):
                    if let other = firstFile[item.metadata.id] {
                        issues.append(ItemIssue(file: path, line: nil, itemID: item.metadata.id.rawValue, message: "id also used in \(other)"))
                    }
                    firstFile[item.metadata.id] = path
                    drafts.append(item)
                case .failure(let failure):
                    issues += failure.issues
                }
                continue
            }
            let text = String(data: data, encoding: .utf8)
            if text == nil && !path.lowercased().hasSuffix(".xlsx") {
                issues.append(ItemIssue(file: path, line: nil, itemID: nil, message: "the file is not UTF-8 text (save spreadsheets as CSV UTF-8 or XLSX)"))
                continue
            }
            let parsed = path.lowercased().hasSuffix(".xlsx")
                ? SpreadsheetItemFormat.parseXLSX(data, file: path, standards: standards)
                : path.lowercased().hasSuffix(".csv")
                ? SpreadsheetItemFormat.parseCSV(text ?? "", file: path, standards: standards)
                : NativeItemFormat.parse(text ?? "", file: path, standards: standards)
            switch parsed {
            case .success(let items):
                for item in items {
                    if let other = firstFile[item.metadata.id] {
                        issues.append(ItemIssue(file: path, line: nil, itemID: item.metadata.id.rawValue, message: "id also used in \(other)"))
                    }
                    firstFile[item.metadata.id] = path
                }
                drafts += items
            case .failure(let failure):
                issues += failure.issues
            }
        }
        if !issues.isEmpty { throw ItemImportFailure(issues) }
        return drafts
    }
}
