import CRMPluginKit
import Foundation

enum SyntheticData {
    /// Overlapping Gaussian classes: class `k`'s centre is `k` in every feature, with unit noise, so that a tree
    /// grows deep and meets many near-ties.
    static func noisy(rows: Int, features: Int, classes: Int, seed: UInt64 = 42) -> Dataset {
        var random = SplitMix64(seed: seed)
        var rowsValues: [[Double]] = []
        var labels: [Int32] = []
        for row in 0..<rows {
            let label = row % classes
            labels.append(Int32(label))
            rowsValues.append((0..<features).map { _ in Double(label) + random.nextGaussian() })
        }
        return Dataset(
            featureNames: (0..<features).map { "f\($0)" },
            rows: rowsValues,
            labels: labels,
            classNames: (0..<classes).map { "k\($0)" }
        )
    }
}

/// A small, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    mutating func nextGaussian() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
