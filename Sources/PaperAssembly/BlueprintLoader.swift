import ExamCore
import Foundation
import Yams

/// Reads `Exams/blueprints/<occupation>.yaml` files.
public enum BlueprintLoader {
    /// The blueprint file of an occupation in `directory`, checked against its standard.
    /// - Throws: `no_blueprints` when there is no file; `invalid_blueprint` with every problem as `FILE: path: message`.
    public static func load(directory: String, standard: OccupationStandard) throws -> BlueprintFile {
        let path = (directory as NSString).appendingPathComponent("\(standard.code.rawValue).yaml")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExamError(.notFound, code: "no_blueprints", message: "no blueprints for \(standard.code): \(path) is missing")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path, standard: standard)
    }

    public static func parse(_ text: String, file: String, standard: OccupationStandard) throws -> BlueprintFile {
        let blueprints: BlueprintFile
        do {
            blueprints = try YAMLDecoder().decode(BlueprintFile.self, from: text)
        } catch let error as DecodingError {
            throw ExamError.invalid("invalid_blueprint", "\(file): \(describe(error))")
        } catch {
            throw ExamError.invalid("invalid_blueprint", "\(file): \(error)")
        }
        let problems = blueprints.problems(in: standard)
        guard problems.isEmpty else {
            throw ExamError.invalid("invalid_blueprint", problems.map { "\(file): \($0)" }.joined(separator: "; "))
        }
        return blueprints
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
