import Crypto
import ExamCore
import Foundation

/// Shamir's secret sharing over GF(2^8): a secret is split into `n` shares of which any `k`
/// reconstruct it and fewer reveal nothing. Used to protect the bank's master secret among custodians.
public enum Shamir {
    /// One share: its x coordinate (1…255) and one y byte per secret byte.
    public struct Share: Sendable, Equatable {
        public let x: UInt8
        public let y: [UInt8]

        public init(x: UInt8, y: [UInt8]) {
            self.x = x
            self.y = y
        }
    }

    /// Splits `secret` into `count` shares with threshold `threshold`.
    /// - Precondition: 2 ≤ threshold ≤ count ≤ 255.
    public static func split<R: RandomNumberGenerator>(
        _ secret: [UInt8], count: Int, threshold: Int, using generator: inout R
    ) -> [Share] {
        precondition(threshold >= 2 && threshold <= count && count <= 255, "need 2 ≤ threshold ≤ count ≤ 255")
        var shares = (1...count).map { Share(x: UInt8($0), y: []) }
        var ys = Array(repeating: [UInt8](), count: count)
        for byte in secret {
            // A random polynomial of degree threshold-1 whose constant term is the secret byte.
            let coefficients = [byte] + (1..<threshold).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            for index in 0..<count {
                ys[index].append(evaluate(coefficients, at: UInt8(index + 1)))
            }
        }
        for index in 0..<count { shares[index] = Share(x: UInt8(index + 1), y: ys[index]) }
        return shares
    }

    /// Reconstructs the secret from shares by Lagrange interpolation at 0. With fewer shares than
    /// the threshold (or wrong ones) the result is a wrong secret, which the caller must detect.
    public static func combine(_ shares: [Share]) -> [UInt8] {
        guard let length = shares.first?.y.count else { return [] }
        var secret = [UInt8](repeating: 0, count: length)
        for (i, share) in shares.enumerated() {
            // Lagrange basis polynomial for share i, evaluated at x = 0.
            var basis: UInt8 = 1
            for (j, other) in shares.enumerated() where j != i {
                basis = GF256.multiply(basis, GF256.divide(other.x, other.x ^ share.x))
            }
            for position in 0..<length {
                secret[position] ^= GF256.multiply(share.y[position], basis)
            }
        }
        return secret
    }

    private static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        // Horner's rule, highest degree first.
        coefficients.reversed().reduce(0) { GF256.multiply($0, x) ^ $1 }
    }
}

/// Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1, by log/antilog tables.
enum GF256 {
    static let (exp, log): ([UInt8], [UInt8]) = {
        var exp = [UInt8](repeating: 0, count: 512)
        var log = [UInt8](repeating: 0, count: 256)
        var value: UInt16 = 1
        for power in 0..<255 {
            exp[power] = UInt8(value)
            log[Int(value)] = UInt8(power)
            // Multiply by the generator 3: value * 2 xor value, reduced.
            var doubled = value << 1
            if doubled & 0x100 != 0 { doubled ^= 0x11b }
            value = doubled ^ value
        }
        for power in 255..<512 { exp[power] = exp[power - 255] }
        return (exp, log)
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[Int(log[Int(a)]) + Int(log[Int(b)])]
    }

    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        precondition(b != 0, "division by zero in GF(256)")
        if a == 0 { return 0 }
        return exp[(Int(log[Int(a)]) + 255 - Int(log[Int(b)])) % 255]
    }
}
