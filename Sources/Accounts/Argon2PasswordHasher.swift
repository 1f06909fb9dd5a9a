import CArgon2
import ExamCore

/// Argon2id password hashing through libargon2, producing PHC-format encoded strings
/// (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) so the parameters travel with each hash.
///
/// Hashing is CPU- and memory-heavy (about 20 ms and 19 MiB at the defaults): callers on a server
/// must run it on a bounded thread pool, never on the request threads.
public struct Argon2PasswordHasher: Sendable {
    /// Argon2id cost parameters.
    public struct Parameters: Sendable, Equatable, Codable {
        /// Memory in KiB.
        public var memoryKiB: UInt32
        /// Passes over memory.
        public var iterations: UInt32
        /// Lanes.
        public var parallelism: UInt32

        public init(memoryKiB: UInt32 = 19 * 1024, iterations: UInt32 = 2, parallelism: UInt32 = 1) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// OWASP's recommendation for Argon2id: m = 19 MiB, t = 2, p = 1.
        public static let owasp = Parameters()
    }

    public let parameters: Parameters
    private static let saltLength = 16
    private static let hashLength = 32

    public init(parameters: Parameters = .owasp) {
        self.parameters = parameters
    }

    /// Hashes a password with a fresh random salt.
    /// - Throws: ``ExamError`` if libargon2 refuses the parameters.
    public func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let passwordBytes = Array(password.utf8)
        let encodedLength = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism,
            UInt32(Self.saltLength), UInt32(Self.hashLength), Argon2_id
        )
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let status = argon2id_hash_encoded(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism,
            passwordBytes, passwordBytes.count, salt, salt.count, Self.hashLength, &encoded, encodedLength
        )
        guard status == ARGON2_OK.rawValue else {
            throw ExamError(.internalFailure, code: "hash_failed", message: "password hashing failed (\(Self.describe(status)))")
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Verifies a password against an encoded hash in constant time (libargon2 compares safely).
    /// A malformed hash verifies as false.
    public func verify(_ password: String, against encodedHash: String) -> Bool {
        let passwordBytes = Array(password.utf8)
        return encodedHash.withCString { encodedPointer in
            argon2id_verify(encodedPointer, passwordBytes, passwordBytes.count) == ARGON2_OK.rawValue
        }
    }

    /// Whether a stored hash is weaker than the current parameters (less memory or fewer passes) and
    /// should be rehashed at the next login. A stronger stored hash is left alone, so lowering the
    /// configured cost never silently weakens stored passwords.
    public func needsRehash(_ encodedHash: String) -> Bool {
        guard let stored = Self.parameters(of: encodedHash) else { return true }
        return stored.memoryKiB < parameters.memoryKiB || stored.iterations < parameters.iterations
    }

    /// The parameters an encoded `$argon2id$v=19$m=…,t=…,p=…$…` hash was made with.
    public static func parameters(of encodedHash: String) -> Parameters? {
        let fields = encodedHash.split(separator: "$")
        guard fields.count == 5, fields[0] == "argon2id", fields[1] == "v=19" else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = UInt32(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"] else { return nil }
        return Parameters(memoryKiB: m, iterations: t, parallelism: p)
    }

    /// A valid hash of a random password, verified against when the username is unknown so that
    /// a login for a missing account costs the same time as one for a real account.
    public func decoyHash() -> String {
        (try? hash("decoy-\(UInt64.random(in: .min ... .max))")) ?? ""
    }

    private static func describe(_ status: Int32) -> String {
        String(cString: argon2_error_message(status))
    }
}
