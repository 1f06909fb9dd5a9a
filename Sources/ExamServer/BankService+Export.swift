import Audit
import ExamCore
import Foundation
import ItemBank
import Storage

extension BankService {
    /// An export: its traceable ID and the files to write (name → content).
    public struct Export: Sendable {
        public var exportID: String
        public var files: [(name: String, content: String)]
        public var items: Int
        /// Items QTI cannot carry (practical tasks), left out of a QTI export.
        public var skipped: [ItemID]
    }

    public enum ExportFormat: String, Sendable, CaseIterable {
        case yaml
        case qti
    }

    /// Decrypts and renders the items the export policy allows.
    ///
    /// Policy: drafts, items in review and retired items may be exported; items in use (`active`)
    /// only with a stated reason, which goes on the record. Every export has an ID written into its
    /// files and an audit entry naming who exported what.
    /// - Throws: `export_refused` when active items are asked for without a reason; share errors.
    public func export(
        shares: [CustodianShare], occupation: OccupationCode?, statuses: Set<ItemStatus>, format: ExportFormat,
        reason: String?, actor: String, at time: Date
    ) async throws -> Export {
        if statuses.contains(.active) && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ExamError(.forbidden, code: "export_refused", message: "items in use (active) are exported only with a stated reason (--reason)")
        }
        guard let record = try await store.items.bankKey() else {
            throw ExamError(.notFound, code: "bank_not_initialised", message: "the item bank has no keys yet")
        }
        let bank = try BankKeyCeremony.unseal(record, shares: shares)
        let summaries = try await store.items.items(ItemFilter(occupation: occupation)).filter { statuses.contains($0.status) }
        var drafts: [ItemDraft] = []
        for summary in summaries {
            guard let stored = try await store.items.version(of: summary.metadata.id, version: nil) else { continue }
            let content = try ItemEnvelope.open(stored.sealed, id: summary.metadata.id, version: stored.version, with: bank)
            drafts.append(ItemDraft(metadata: stored.summary.metadata, content: content))
        }
        var generator = SystemRandomNumberGenerator()
        let stamp = ISO8601DateFormatter.string(from: time, timeZone: .gmt, formatOptions: [.withYear, .withMonth, .withDay])
            .replacingOccurrences(of: "-", with: "")
        let exportID = "EXP-\(stamp)-\((0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString)"
        var files: [(String, String)] = []
        var skipped: [ItemID] = []
        switch format {
        case .yaml:
            for (occupation, group) in Dictionary(grouping: drafts, by: \.metadata.occupation).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                files.append(("\(exportID)-\(occupation).yaml", try NativeItemFormat.render(group, occupation: occupation, exportID: exportID)))
            }
        case .qti:
            for draft in drafts {
                if let xml = QTIItemFormat.render(draft, exportID: exportID) {
                    files.append(("\(exportID)-\(draft.metadata.id).xml", xml))
                } else {
                    skipped.append(draft.metadata.id)
                }
            }
        }
        try await store.audit.append(AuditEvent(
            actor: actor, action: "bank.exported", subject: "export:\(exportID)",
            payload: [
                "format": .string(format.rawValue), "items": .int(drafts.count - skipped.count),
                "statuses": .array(statuses.map(\.rawValue).sorted().map(JSONValue.string)),
                "reason": reason.map(JSONValue.string) ?? .null,
                "itemIDs": .array(drafts.map { .string($0.metadata.id.rawValue) }),
            ]
        ))
        return Export(exportID: exportID, files: files, items: drafts.count - skipped.count, skipped: skipped)
    }
}
