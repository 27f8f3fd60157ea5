import CRMPluginKit
import Foundation

enum SyntheticData {
    /// XOR: the four corners of the unit square (label 1 where exactly one coordinate is 1), each `copies` times
    /// with a little noise. No straight line separates the classes.
    static func xor(copies: Int, noise: Double = 0.05, seed: UInt64 = 1) -> Dataset {
        var random = SplitMix64(seed: seed)
        var rows: [[Double]] = []
        var labels: [Int32] = []
        for _ in 0..<copies {
            for (x, y) in [(0.0, 0.0), (0, 1), (1, 0), (1, 1)] {
                rows.append([x + noise * random.nextGaussian(), y + noise * random.nextGaussian()])
                labels.append(x != y ? 1 : 0)
            }
        }
        return dataset(rows, labels: labels)
    }

    /// Two well-separated Gaussian blobs in the plane, centred at (−2, −2) and (2, 2).
    static func blobs(rows: Int, seed: UInt64 = 3) -> Dataset {
        var random = SplitMix64(seed: seed)
        var values: [[Double]] = []
        var labels: [Int32] = []
        for row in 0..<rows {
            let label = row % 2
            let centre = label == 0 ? -2.0 : 2.0
            values.append([centre + 0.5 * random.nextGaussian(), centre + 0.5 * random.nextGaussian()])
            labels.append(Int32(label))
        }
        return dataset(values, labels: labels)
    }

    /// Overlapping Gaussian classes: class `k`'s centre is `k / 2` in every feature, with unit noise.
    static func noisy(rows: Int, features: Int, classes: Int, seed: UInt64 = 42) -> Dataset {
        var random = SplitMix64(seed: seed)
        var values: [[Double]] = []
        var labels: [Int32] = []
        for row in 0..<rows {
            let label = row % classes
            labels.append(Int32(label))
            values.append((0..<features).map { _ in Double(label) / 2 + random.nextGaussian() })
        }
        return dataset(values, labels: labels, classes: classes)
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
