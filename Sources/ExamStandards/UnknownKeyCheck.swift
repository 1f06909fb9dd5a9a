import Yams

/// Finds keys the schema does not know, so a typo such as `pass_marks` is reported instead of ignored.
enum UnknownKeyCheck {
    struct Finding {
        var path: String
        var line: Int?
        var message: String
    }

    /// Allowed keys per shape path (indices written as `[]`). Maps not listed here are free-form
    /// (weight values keyed by code) or checked by the decoder (conditions).
    static let standardKeys: [String: Set<String>] = [
        "": ["schema", "code", "name", "name_en", "source", "illustrative", "levels", "basic_requirements",
             "functions", "weights", "eligibility"],
        "levels[]": ["level", "directions", "training_hours", "parts"],
        "levels[].parts": ["theory", "ability"],
        "levels[].parts.theory": partKeys,
        "levels[].parts.ability": partKeys,
        "levels[].parts.theory.staffing": staffingKeys,
        "levels[].parts.ability.staffing": staffingKeys,
        "levels[].parts.theory.scoring": scoringKeys,
        "levels[].parts.ability.scoring": scoringKeys,
        "levels[].parts.theory.marking": markingKeys,
        "levels[].parts.ability.marking": markingKeys,
        "basic_requirements[]": ["code", "name"],
        "functions[]": ["code", "name", "contents"],
        "functions[].contents[]": ["code", "name", "points"],
        "functions[].contents[].points[]": ["code", "name", "levels"],
        "weights": ["theory", "ability"],
        "weights.theory[]": ["level", "direction", "basic", "related"],
        "weights.ability[]": ["level", "direction", "functions"],
        "eligibility[]": ["level", "requires_training", "clauses"],
        "eligibility[].clauses[]": ["id", "text", "all_of"],
    ]
    private static let partKeys: Set<String> = [
        "duration_minutes", "full_marks", "pass_mark", "late_entry_minutes", "earliest_hand_in_minutes", "staffing", "scoring", "marking",
    ]
    private static let scoringKeys: Set<String> = ["multiple_choice", "partial_share"]
    private static let markingKeys: Set<String> = ["adjudication_share", "pass_band", "mark_step"]
    private static let staffingKeys: Set<String> = [
        "candidates_per_staff", "min_staff_per_room", "odd_panel", "chief_examiner",
    ]

    /// - Parameter allowed: the keys allowed per shape path (the standards' by default).
    static func unknownKeys(in root: Node, allowed: [String: Set<String>] = standardKeys) -> [Finding] {
        var findings: [Finding] = []
        walk(root, shape: "", path: "", allowed: allowed, into: &findings)
        return findings
    }

    private static func walk(_ node: Node, shape: String, path: String, allowed: [String: Set<String>], into findings: inout [Finding]) {
        switch node {
        case .mapping(let mapping):
            let known = allowed[shape]
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? ""
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let known, !known.contains(key) {
                    findings.append(Finding(
                        path: childPath, line: keyNode.mark?.line,
                        message: "unknown key '\(key)' (expected one of: \(known.sorted().joined(separator: ", ")))"
                    ))
                    continue
                }
                if known != nil {
                    walk(value, shape: shape.isEmpty ? key : "\(shape).\(key)", path: childPath, allowed: allowed, into: &findings)
                }
            }
        case .sequence(let sequence):
            for (index, element) in sequence.enumerated() {
                walk(element, shape: shape + "[]", path: "\(path)[\(index)]", allowed: allowed, into: &findings)
            }
        default:
            break
        }
    }
}
