/// A problem in an item source: the file, where in it (line or row), which item and what is wrong.
public struct ItemIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Line (YAML, XML) or row (CSV, XLSX), 1-based, when known.
    public var line: Int?
    public var itemID: String?
    public var message: String

    public init(file: String, line: Int?, itemID: String?, message: String) {
        self.file = file
        self.line = line
        self.itemID = itemID
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return itemID.map { "\(location): item \($0): \(message)" } ?? "\(location): \(message)"
    }
}
