import Yams

/// Converts between coding paths, path strings such as `weights.theory[3].related` and YAML nodes.
enum NodePath {
    enum Component: Equatable {
        case key(String)
        case index(Int)
    }

    static func string(from codingPath: some Collection<any CodingKey>) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    static func components(_ path: String) -> [Component] {
        var result: [Component] = []
        for part in path.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                let key = rest[..<bracket]
                if !key.isEmpty { result.append(.key(String(key))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    if let index = Int(rest[rest.index(after: rest.startIndex)..<close]) { result.append(.index(index)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                result.append(.key(String(rest)))
            }
        }
        return result
    }

    /// The 1-based line of the node at `path`, or nil when the path does not resolve.
    static func line(of path: String, in root: Node) -> Int? {
        var node = root
        for component in components(path) {
            switch (component, node) {
            case (.key(let key), .mapping(let mapping)):
                guard let next = mapping[key] else { return nil }
                node = next
            case (.index(let index), .sequence(let sequence)):
                guard index >= 0, index < sequence.count else { return nil }
                node = sequence[sequence.index(sequence.startIndex, offsetBy: index)]
            default:
                return nil
            }
        }
        return node.mark?.line
    }
}

extension Node {
    /// The same tree with every mapping key re-made as a plain string key, so that a quoted key
    /// such as `"1"` is found by the decoder's string lookups (Yams resolves lookups of "1" as an int).
    func normalisingKeys() -> Node {
        switch self {
        case .mapping(let mapping):
            var result = Node.Mapping([], mapping.tag, mapping.style, mapping.mark)
            for (key, value) in mapping {
                result[key.string ?? ""] = value.normalisingKeys()
            }
            return .mapping(result)
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map { $0.normalisingKeys() }, sequence.tag, sequence.style, sequence.mark))
        default:
            return self
        }
    }
}
