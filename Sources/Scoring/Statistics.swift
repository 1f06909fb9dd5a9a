import Foundation

/// Classical test statistics for quality supervisors (issue 7 §5, definitions in docs/MARKING.md).
public enum Statistics {
    /// Pearson correlation; nil when either side has no variance or fewer than two values.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        guard x.count == y.count, x.count >= 2 else { return nil }
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        for index in x.indices {
            let dx = x[index] - mx
            let dy = y[index] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 1e-12, syy > 1e-12 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Population variance.
    public static func variance(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }

    /// Kuder–Richardson 20 of a 0/1 matrix (rows: candidates, columns: items):
    /// k/(k−1) · (1 − Σ pq / σ²), σ² the population variance of the row totals.
    public static func kr20(_ matrix: [[Bool]]) -> Double? {
        guard matrix.count >= 2, let k = matrix.first?.count, k >= 2, matrix.allSatisfy({ $0.count == k }) else { return nil }
        let n = Double(matrix.count)
        var pq = 0.0
        for column in 0..<k {
            let p = Double(matrix.reduce(0) { $0 + ($1[column] ? 1 : 0) }) / n
            pq += p * (1 - p)
        }
        let totals = matrix.map { Double($0.reduce(0) { $0 + ($1 ? 1 : 0) }) }
        let variance = variance(totals)
        guard variance > 1e-12 else { return nil }
        return Double(k) / Double(k - 1) * (1 - pq / variance)
    }

    /// ICC(1,1): one-way random effects, single rater, absolute agreement, for pairs of marks on
    /// the same targets: (MSB − MSW) / (MSB + MSW). Nil with fewer than two pairs or no variance.
    public static func icc(_ pairs: [(Double, Double)]) -> Double? {
        guard pairs.count >= 2 else { return nil }
        let n = Double(pairs.count)
        let grand = pairs.reduce(0) { $0 + $1.0 + $1.1 } / (2 * n)
        var between = 0.0
        var within = 0.0
        for (a, b) in pairs {
            let mean = (a + b) / 2
            between += 2 * (mean - grand) * (mean - grand)
            within += (a - mean) * (a - mean) + (b - mean) * (b - mean)
        }
        let msb = between / (n - 1)
        let msw = within / n
        guard msb + msw > 1e-12 else { return nil }
        return (msb - msw) / (msb + msw)
    }

    /// Flags of an item by its difficulty and corrected discrimination.
    public static func flags(p: Double, discrimination: Double?) -> [String] {
        var flags: [String] = []
        if p < 0.2 { flags.append("p_low") }
        if p > 0.95 { flags.append("p_high") }
        if let discrimination, discrimination < 0 { flags.append("negative_discrimination") }
        return flags
    }
}
