import Crypto
import ExamCore
import Foundation

/// A custodian's share as text, safe to print and type back:
/// `assay-share-1:<bank id>:<k>of<n>:<x>:<hex bytes>:<check>`, where the check is the first
/// 4 hex digits of SHA-256 over the rest, so a mistyped share is caught before it is used.
public struct CustodianShare: Sendable, Equatable, CustomStringConvertible {
    public let bankID: String
    public let threshold: Int
    public let count: Int
    public let share: Shamir.Share

    public init(bankID: String, threshold: Int, count: Int, share: Shamir.Share) {
        self.bankID = bankID
        self.threshold = threshold
        self.count = count
        self.share = share
    }

    public var description: String {
        let body = "assay-share-1:\(bankID):\(threshold)of\(count):\(share.x):\(share.y.hexString)"
        return "\(body):\(Self.check(body))"
    }

    /// Parses a share typed or pasted by a custodian (spaces and case are ignored).
    /// - Throws: `bad_share` saying what is wrong with it.
    public init(parsing text: String) throws {
        let cleaned = text.filter { !$0.isWhitespace }.lowercased()
        let fields = cleaned.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "assay-share-1" else {
            throw ExamError.invalid("bad_share", "this is not an Assay custodian share")
        }
        let body = fields[0..<5].joined(separator: ":")
        guard Self.check(body) == fields[5] else {
            throw ExamError.invalid("bad_share", "the share's check digits do not match: it was mistyped or damaged")
        }
        let ratio = fields[2].split(separator: "o").map(String.init)
        guard ratio.count == 2, let k = Int(ratio[0]), let n = Int(ratio[1].dropFirst()), ratio[1].hasPrefix("f"),
            let x = UInt8(fields[3]), x > 0, let bytes = Data(hexString: fields[4]), bytes.count == 32
        else {
            throw ExamError.invalid("bad_share", "the share is malformed")
        }
        self.init(bankID: fields[1], threshold: k, count: n, share: Shamir.Share(x: x, y: Array(bytes)))
    }

    private static func check(_ body: String) -> String {
        String(SHA256.hash(data: Data(body.utf8)).hexString.prefix(4))
    }
}
