import ArgumentParser
import Audit
import ExamCore
import ExamServer
import ExamStandards
import Foundation
import ItemBank
import Storage

struct Bank: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The encrypted item bank (题库): key ceremony, import, listing.",
        subcommands: [InitBank.self, Import.self, Check.self, List.self, Stats.self, Unseal.self, Seal.self, Synth.self, Rotate.self, Export.self]
    )

    /// Options naming where the standards are.
    struct StandardsOption: ParsableArguments {
        @Option(help: ArgumentHelp("The occupation standards' folder.", valueName: "dir"))
        var exams: String = "Exams"

        func load() throws -> [OccupationStandard] {
            let catalog = StandardLoader.load(path: exams)
            guard catalog.isValid else {
                for issue in catalog.issues { complain(issue.description) }
                throw ExamError.invalid("invalid_standards", "the standards in \(exams) have errors")
            }
            return catalog.standards
        }
    }

    struct InitBank: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the bank's keys and split the master secret among the custodians (题库管理员).",
            discussion: """
                Prints one share per custodian, once. Any --threshold of them unseal the bank; fewer reveal
                nothing. Hand each share to its custodian and do not keep copies together. With
                --shares-dir each share is written to its own file (mode 0600) instead of printed.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Number of custodians.") var custodians: Int = 5
        @Option(help: "Shares needed to unseal.") var threshold: Int = 3
        @Option(help: ArgumentHelp("Write each share to DIR/share-N.txt instead of printing.", valueName: "dir"))
        var sharesDir: String?

        func run() async throws {
            try await reportingErrors {
                let database = try DataDirectory(path: options.data).open()
                let shares = try await BankService(store: database.store, standards: []).initialise(
                    custodians: custodians, threshold: threshold, actor: Init.operatorActor
                )
                if let sharesDir {
                    try BankSupport.writeShares(shares, to: sharesDir)
                    say("Wrote \(shares.count) shares to \(sharesDir) (share-1.txt … share-\(shares.count).txt, mode 0600).")
                } else {
                    for share in shares {
                        say("Custodian \(share.share.x) of \(shares.count): \(share)")
                    }
                }
                say("Any \(threshold) of the \(custodians) shares unseal the bank. They are not stored anywhere by Assay.")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import items (native YAML, the spreadsheet template as XLSX or CSV, or QTI 2.1/2.2/3.0 XML); all or nothing.",
            discussion: """
                Every item is checked against its occupation standard and sealed with its own data key
                before it is stored; the bank may stay sealed. If any item of any file has a problem,
                nothing is imported and every problem is listed as FILE:LINE: item ID: what is wrong.
                QTI assessmentItem files (.xml: choice, text-entry and extended-text interactions with
                match_correct or map_response) carry no 鉴定点, so give --occupation, --level and --point;
                they are imported as drafts unless --status says otherwise.
                """
        )
        @OptionGroup var options: DataOptions
        @OptionGroup var standards: StandardsOption
        @Option(help: "Status of the imported items: draft, in_review or active (default: active for YAML, draft for QTI).")
        var status: String?
        @Option(help: "QTI only: occupation code of the items.") var occupation: String?
        @Option(help: "QTI only: level(s) of the items (repeatable).") var level: [String] = []
        @Option(help: "QTI only: 鉴定点 code of the items.") var point: String?
        @Option(help: "QTI only: estimated difficulty (proportion correct).") var difficulty: Double = 0.65
        @Argument(help: "Item files (.yaml, .xlsx, .csv, .xml), or folders of them.") var paths: [String]

        func run() async throws {
            try await reportingErrors {
                let files = try BankSupport.files(paths)
                let hasQTI = files.contains { $0.lowercased().hasSuffix(".xml") }
                guard let itemStatus = ItemStatus(rawValue: status ?? (hasQTI ? "draft" : "active")), itemStatus != .retired else {
                    throw ExamError.invalid("bad_status", "--status must be draft, in_review or active")
                }
                var qti: QTIItemFormat.Classification?
                if let occupation, let point, !level.isEmpty {
                    let levels = try level.map { text -> Level in
                        guard let value = Level(rawValue: text) else { throw ExamError.invalid("bad_level", "unknown level '\(text)'") }
                        return value
                    }
                    qti = QTIItemFormat.Classification(occupation: OccupationCode(rawValue: occupation), levels: levels, point: point, difficulty: difficulty)
                }
                let database = try DataDirectory(path: options.data).open()
                let service = BankService(store: database.store, standards: try standards.load())
                let report = try await service.importFiles(files, status: itemStatus, actor: Init.operatorActor, qti: qti)
                let types = report.byType.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.chineseName) \($0.value)" }
                say("Imported \(report.items) items from \(report.files) file(s): \(types.joined(separator: ", ")).")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check item files against the standards without importing.")
        @OptionGroup var standards: StandardsOption
        @Argument(help: "Item files (.yaml, .xlsx, .csv), or folders of them.") var paths: [String]

        func run() async throws {
            try await reportingErrors {
                let drafts = try BankService.read(try BankSupport.files(paths), standards: try standards.load())
                say("ok: \(drafts.count) items")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List items: metadata only, never their content.")
        @OptionGroup var options: DataOptions
        @Option(help: "Occupation code.") var occupation: String?
        @Option(help: "Level: 初级, 中级 or 高级.") var level: String?
        @Option(help: "Status.") var status: String?
        @Flag(help: "JSON output.") var json = false

        func run() async throws {
            try await reportingErrors {
                let filter = ItemFilter(
                    occupation: occupation.map(OccupationCode.init(rawValue:)), level: level.flatMap(Level.init(rawValue:)),
                    status: status.flatMap(ItemStatus.init(rawValue:))
                )
                let items = try await DataDirectory(path: options.data).openReadOnly().store.items.items(filter)
                if json {
                    let rows = items.map {
                        [
                            "id": $0.metadata.id.rawValue, "type": $0.metadata.type.rawValue, "status": $0.status.rawValue,
                            "point": $0.metadata.point, "levels": $0.metadata.levels.map(\.rawValue).joined(separator: ","),
                            "version": String($0.version),
                        ]
                    }
                    say(String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self))
                    return
                }
                for item in items {
                    let meta = item.metadata
                    say("\(meta.id)\t\(meta.type.chineseName)\t\(item.status.rawValue)\tv\(item.version)\t\(meta.point)\t\(meta.levels.map(\.rawValue).joined(separator: ","))\t难度 \(meta.difficulty)")
                }
                say("\(items.count) item(s)")
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count items by occupation, level, type and status.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            try await reportingErrors {
                let store = try DataDirectory(path: options.data).openReadOnly().store
                let items = try await store.items.items(ItemFilter())
                let key = try await store.items.bankKey()
                say("bank: \(key.map { "\($0.bankID), \($0.threshold) of \($0.custodians) custodians, key version \($0.kekVersion)" } ?? "not initialised")")
                for (occupation, group) in Dictionary(grouping: items, by: \.metadata.occupation).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    say("\(occupation): \(group.count) items")
                    for level in Level.allCases {
                        let atLevel = group.filter { $0.metadata.levels.contains(level) }
                        let types = Dictionary(grouping: atLevel, by: \.metadata.type).sorted { $0.key.rawValue < $1.key.rawValue }
                            .map { "\($0.key.chineseName) \($0.value.count)" }.joined(separator: ", ")
                        say("  \(level.rawValue): \(atLevel.count) (\(types))")
                    }
                    let statuses = Dictionary(grouping: group, by: \.status).sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { "\($0.key.rawValue) \($0.value.count)" }.joined(separator: ", ")
                    say("  status: \(statuses)")
                }
            }
        }
    }
}

enum BankSupport {
    /// Expands folders into their .yaml/.yml files (sorted).
    static func files(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ExamError.invalid("no_such_file", "\(path) does not exist")
            }
            if isDirectory.boolValue {
                files += (try FileManager.default.contentsOfDirectory(atPath: path))
                    .filter { [".yaml", ".yml", ".xml", ".csv", ".xlsx"].contains(where: $0.lowercased().hasSuffix) }
                    .sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Reads one custodian share from each file.
    static func readShares(_ files: [String]) throws -> [CustodianShare] {
        try files.map { file in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ExamError.invalid("no_such_file", "cannot read \(file)")
            }
            return try CustodianShare(parsing: text)
        }
    }

    static func writeShares(_ shares: [CustodianShare], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for share in shares {
            let path = (directory as NSString).appendingPathComponent("share-\(share.share.x).txt")
            guard FileManager.default.createFile(atPath: path, contents: Data("\(share)\n".utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ExamError(.unavailable, code: "cannot_write", message: "cannot write \(path)")
            }
        }
    }
}

extension Bank {
    struct Synth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a deterministic synthetic bank (labelled synthetic) for scale tests.",
            discussion: """
                The same --seed always gives the same items. With --out the items are written as a native
                YAML file; otherwise they are sealed and imported into the data directory (all or nothing).
                Synthetic items say so in their text and metadata; never use them in a real exam.
                """
        )
        @OptionGroup var options: DataOptions
        @OptionGroup var standards: StandardsOption
        @Option(help: "How many items.") var items: Int
        @Option(help: "Seed of the generator.") var seed: UInt64 = 1
        @Option(help: "Occupation code.") var occupation: String = "2-02-10-09"
        @Option(help: ArgumentHelp("Write a YAML file instead of importing.", valueName: "file")) var out: String?

        func validate() throws {
            guard (1...1_000_000).contains(items) else { throw ValidationError("--items must be between 1 and 1,000,000") }
        }

        func run() async throws {
            try await reportingErrors {
                let loaded = try standards.load()
                guard let standard = loaded.first(where: { $0.code.rawValue == occupation }) else {
                    throw ExamError.invalid("unknown_occupation", "no standard with code \(occupation)")
                }
                let drafts = SyntheticBank.generate(count: items, seed: seed, standard: standard)
                if let out {
                    try NativeItemFormat.render(drafts, occupation: standard.code).write(toFile: out, atomically: true, encoding: .utf8)
                    say("Wrote \(drafts.count) synthetic items (seed \(seed)) to \(out).")
                    return
                }
                let database = try DataDirectory(path: options.data).open()
                let started = ContinuousClock.now
                let report = try await BankService(store: database.store, standards: loaded)
                    .importDrafts(drafts, status: .active, actor: Init.operatorActor, source: .string("synthetic seed \(seed)"))
                say("Imported \(report.items) synthetic items (seed \(seed)) in \(ContinuousClock.now - started).")
            }
        }
    }
}

extension Bank {
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rotate the bank's key: a new KEK, every data key re-wrapped, no item re-encrypted.",
            discussion: """
                Needs the threshold of custodians' shares (one per --share-file). Run it while the server
                is stopped or its bank is sealed; custodians unseal again afterwards. The shares stay valid.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(name: .customLong("share-file"), help: "A file holding one share (repeat).") var shareFiles: [String]

        func run() async throws {
            try await reportingErrors {
                let shares = try BankSupport.readShares(shareFiles)
                let database = try DataDirectory(path: options.data).open()
                let result = try await BankService(store: database.store, standards: []).rotate(shares: shares, actor: Init.operatorActor)
                say("Rotated the bank key to version \(result.keyVersion); re-wrapped \(result.versions) item version(s).")
            }
        }
    }
}

extension Bank {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export items in clear (native YAML or QTI 3.0), as the bank policy allows.",
            discussion: """
                Needs the threshold of custodians' shares. Drafts, items in review and retired items may be
                exported; items in use (active) only with --reason, which is recorded. Every file carries the
                export ID, and the export (who, which items, why) is on the audit record. QTI cannot carry
                practical tasks; they are left out and listed.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(name: .customLong("share-file"), help: "A file holding one share (repeat).") var shareFiles: [String]
        @Option(help: ArgumentHelp("Folder to write the files to (created, mode 0700).", valueName: "dir")) var out: String
        @Option(help: "yaml or qti.") var format: String = "yaml"
        @Option(help: "Occupation code.") var occupation: String?
        @Option(help: "Status to export (repeat): draft, in_review, retired, active.") var status: [String] = ["draft", "in_review", "retired"]
        @Option(help: "Why items in use are exported (required for active).") var reason: String?

        func run() async throws {
            try await reportingErrors {
                guard let exportFormat = BankService.ExportFormat(rawValue: format) else {
                    throw ExamError.invalid("bad_format", "--format must be yaml or qti")
                }
                let statuses = try Set(status.map { text -> ItemStatus in
                    guard let value = ItemStatus(rawValue: text) else { throw ExamError.invalid("bad_status", "unknown status \(text)") }
                    return value
                })
                let shares = try BankSupport.readShares(shareFiles)
                let database = try DataDirectory(path: options.data).open()
                let export = try await BankService(store: database.store, standards: []).export(
                    shares: shares, occupation: occupation.map(OccupationCode.init(rawValue:)), statuses: statuses, format: exportFormat,
                    reason: reason, actor: Init.operatorActor, at: Date()
                )
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                for file in export.files {
                    let path = (out as NSString).appendingPathComponent(file.name)
                    guard FileManager.default.createFile(atPath: path, contents: Data(file.content.utf8), attributes: [.posixPermissions: 0o600]) else {
                        throw ExamError(.unavailable, code: "cannot_write", message: "cannot write \(path)")
                    }
                }
                say("Export \(export.exportID): \(export.items) item(s) in \(export.files.count) file(s) under \(out).")
                if !export.skipped.isEmpty {
                    say("Left out (QTI cannot carry practical tasks): \(export.skipped.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
    }
}
