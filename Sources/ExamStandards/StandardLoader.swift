import Crypto
import ExamCore
import Foundation
import Yams

/// A problem in a standards file: the file, the YAML path, the line when known, and what is wrong.
public struct StandardFileIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var line: Int?
    public var message: String

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}

/// The outcome of loading one standards file.
public enum StandardFileResult: Sendable {
    /// The standard and the SHA-256 (hex) of the exact bytes it was parsed from.
    case loaded(OccupationStandard, digest: String)
    case failed([StandardFileIssue])
}

/// The outcome of loading standards: what loaded cleanly and every issue found.
public struct StandardCatalog: Sendable {
    public var standards: [OccupationStandard]
    public var files: [String]
    public var issues: [StandardFileIssue]
    /// SHA-256 (hex) of the file each loaded standard came from, by occupation code: recorded in
    /// the audit log so that every sitting can be traced to the exact standard text in force.
    public var digests: [OccupationCode: String] = [:]

    public var isValid: Bool { issues.isEmpty }

    public func standard(_ code: OccupationCode) -> OccupationStandard? {
        standards.first { $0.code == code }
    }
}

/// Loads occupation standards from YAML (`Exams/*.yaml`) and checks them.
public enum StandardLoader {
    /// Loads one file, or every `.yaml`/`.yml` file in a directory (sorted by name).
    ///
    /// A file with any issue contributes no standard; issues from every file are collected.
    public static func load(path: String) -> StandardCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return StandardCatalog(standards: [], files: [], issues: [
                StandardFileIssue(file: path, path: "", line: nil, message: "no such file or directory")
            ])
        }
        let files: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty {
                return StandardCatalog(standards: [], files: [], issues: [
                    StandardFileIssue(file: path, path: "", line: nil, message: "no .yaml files in this directory")
                ])
            }
        } else {
            files = [path]
        }
        var catalog = StandardCatalog(standards: [], files: files, issues: [])
        var codes: [OccupationCode: String] = [:]
        for file in files {
            switch loadFile(file) {
            case .loaded(let standard, let digest):
                if let first = codes[standard.code] {
                    catalog.issues.append(StandardFileIssue(
                        file: file, path: "code", line: nil,
                        message: "occupation \(standard.code) is already defined in \(first)"
                    ))
                } else {
                    codes[standard.code] = file
                    catalog.standards.append(standard)
                    catalog.digests[standard.code] = digest
                }
            case .failed(let issues):
                catalog.issues.append(contentsOf: issues)
            }
        }
        return catalog
    }

    /// Loads and validates one file.
    public static func loadFile(_ file: String) -> StandardFileResult {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failed([StandardFileIssue(file: file, path: "", line: nil, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failed([StandardFileIssue(file: file, path: "", line: nil, message: "the file is not UTF-8 text")])
        }
        return parse(text, file: file)
    }

    /// Parses and validates YAML text; `file` names it in issues.
    public static func parse(_ text: String, file: String) -> StandardFileResult {
        let original: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return .failed([StandardFileIssue(file: file, path: "", line: nil, message: "the file is empty")])
            }
            original = composed
        } catch {
            return .failed([syntaxIssue(error, file: file)])
        }
        // Unknown keys are reported on the tree as written (keys keep their lines); decoding and line
        // look-ups use the key-normalised tree.
        let node = original.normalisingKeys()
        let unknown = UnknownKeyCheck.unknownKeys(in: original).map {
            StandardFileIssue(file: file, path: $0.path, line: $0.line, message: $0.message)
        }
        let standard: OccupationStandard
        do {
            standard = try YAMLDecoder().decode(OccupationStandard.self, from: node)
        } catch let error as DecodingError {
            return .failed(unknown + [decodingIssue(error, node: node, file: file)])
        } catch {
            return .failed(unknown + [StandardFileIssue(file: file, path: "", line: nil, message: "\(error)")])
        }
        let issues = unknown + StandardValidator.validate(standard).map {
            StandardFileIssue(file: file, path: $0.path, line: NodePath.line(of: $0.path, in: node), message: $0.message)
        }
        return issues.isEmpty ? .loaded(standard, digest: SHA256.hash(data: Data(text.utf8)).hexString) : .failed(issues)
    }

    private static func syntaxIssue(_ error: any Error, file: String) -> StandardFileIssue {
        if let yamlError = error as? YamlError {
            switch yamlError {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
                return StandardFileIssue(file: file, path: "", line: mark.line, message: "YAML syntax error: \(problem)")
            default:
                break
            }
        }
        return StandardFileIssue(file: file, path: "", line: nil, message: "YAML syntax error: \(error)")
    }

    private static func decodingIssue(_ error: DecodingError, node: Node, file: String) -> StandardFileIssue {
        let (codingPath, message): ([any CodingKey], String) =
            switch error {
            case .keyNotFound(let key, let context):
                (context.codingPath + [key], "required key '\(key.stringValue)' is missing")
            case .typeMismatch(let type, let context):
                (context.codingPath, "expected \(typeName(type)): \(context.debugDescription)")
            case .valueNotFound(let type, let context):
                (context.codingPath, "expected \(typeName(type)), found nothing")
            case .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            @unknown default:
                ([], "\(error)")
            }
        let path = NodePath.string(from: codingPath)
        let line = NodePath.line(of: path, in: node)
            ?? NodePath.line(of: NodePath.string(from: codingPath.dropLast()), in: node)
        return StandardFileIssue(file: file, path: path, line: line, message: message)
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)"
        }
    }
}
