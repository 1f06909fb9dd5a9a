import ExamCore
import Foundation
import Yams

extension NativeItemFormat {
    /// Renders items of one occupation as a native YAML file that ``parse(_:file:standards:)`` reads back.
    ///
    /// This writes item content in clear: call it only for exports the bank policy allows.
    /// - Parameter exportID: written into the file (`export_id`) so a leaked copy can be traced.
    public static func render(_ drafts: [ItemDraft], occupation: OccupationCode, exportID: String? = nil) throws -> String {
        let file = FileDTO(schema: 1, occupation: occupation.rawValue, export_id: exportID, items: drafts.map(ItemDTO.init))
        return try YAMLEncoder().encode(file)
    }

    private struct FileDTO: Encodable {
        var schema: Int
        var occupation: String
        var export_id: String?
        var items: [ItemDTO]
    }

    private enum AnswerDTO: Encodable {
        case letter(String)
        case letters([String])
        case truth(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .letter(let value): try container.encode(value)
            case .letters(let value): try container.encode(value)
            case .truth(let value): try container.encode(value)
            }
        }
    }

    private struct DirectionsDTO: Encodable {
        var scope: DirectionScope
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch scope {
            case .all: try container.encode("all")
            case .only(let list): try container.encode(list.map(\.name))
            }
        }
    }

    private struct ItemDTO: Encodable {
        var id: String
        var type: String
        var levels: [String]
        var directions: DirectionsDTO
        var point: String
        var difficulty: Double
        var discrimination: Double?
        var points: Double
        var enemy_group: String?
        var synthetic: Bool?
        var stem: String
        var options: [String: String]?
        var answer: AnswerDTO?
        var blanks: [[String]]?
        var reference_answer: String?
        var scoring: [ScoringPoint]?
        var explanation: String?
        var preparation: String?
        var statement: String?
        var materials: [Material]?
        var time_minutes: Int?

        init(_ draft: ItemDraft) {
            let meta = draft.metadata
            let content = draft.content
            id = meta.id.rawValue
            type = meta.type.rawValue
            levels = meta.levels.map(\.rawValue)
            directions = DirectionsDTO(scope: meta.directions)
            point = meta.point
            difficulty = meta.difficulty
            discrimination = meta.discrimination
            points = meta.points
            enemy_group = meta.enemyGroup
            synthetic = meta.synthetic ? true : nil
            stem = content.stem
            options = content.options.isEmpty ? nil : content.options
            switch content.answer {
            case .option(let letter): answer = .letter(letter)
            case .options(let letters): answer = .letters(letters)
            case .truth(let value): answer = .truth(value)
            case .blanks(let variants): blanks = variants
            case nil: break
            }
            reference_answer = content.referenceAnswer
            scoring = content.scoring.isEmpty ? nil : content.scoring
            explanation = content.explanation
            preparation = content.preparation
            statement = content.statement
            materials = content.materials.isEmpty ? nil : content.materials
            time_minutes = content.timeMinutes
        }
    }
}
