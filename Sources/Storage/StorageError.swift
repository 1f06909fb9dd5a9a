import ExamCore
import GRDB

/// Maps database failures to ``ExamError`` without leaking SQL arguments or row contents.
enum StorageError {
    static func wrap(_ error: any Error, _ context: String) -> ExamError {
        if let error = error as? ExamError { return error }
        if let dbError = error as? DatabaseError {
            switch dbError.resultCode {
            case .SQLITE_CONSTRAINT:
                return ExamError(.conflict, code: "constraint_violation", message: "\(context): a data constraint was violated")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return ExamError(.unavailable, code: "database_busy", message: "\(context): the database is busy")
            case .SQLITE_FULL, .SQLITE_IOERR:
                return ExamError(.unavailable, code: "storage_failure", message: "\(context): the disk refused the write")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return ExamError(.integrity, code: "database_corrupt", message: "\(context): the database file is damaged")
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
                return ExamError(.unavailable, code: "database_unavailable", message: "\(context): the database file cannot be opened for writing")
            default:
                return ExamError(.internalFailure, code: "database_error", message: "\(context) (SQLite code \(dbError.resultCode.rawValue))")
            }
        }
        return ExamError(.internalFailure, code: "storage_failure", message: context)
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            || (error as? DatabaseError)?.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }
}
