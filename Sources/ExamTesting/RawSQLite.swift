import GRDB

/// Direct access to a database file, bypassing the repositories: for tests that tamper with data
/// the way an attacker with the file would, or that inspect exactly what is stored.
public enum RawSQLite {
    /// Runs statements on the file at `path`.
    public static func execute(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Every text value in every table, for checks such as "no password is stored in clear".
    public static func allText(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            var texts: [String] = []
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for value in row.databaseValues {
                        if let text = String.fromDatabaseValue(value) { texts.append(text) }
                    }
                }
            }
            return texts
        }
    }
}
