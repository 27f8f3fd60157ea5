import CRMPluginKit
import Foundation

/// Deterministic test data: Gaussian blobs around well separated centres.
enum SyntheticData {
    /// `rows` rows of `features` features in `classes` classes; class `k`'s centre is 4·k in every feature, with
    /// unit noise, so the classes are easy to separate.
    static func blobs(rows: Int, features: Int, classes: Int, seed: UInt64 = 42) -> Dataset {
        var random = SplitMix64(seed: seed)
        var dataset = Dataset()
        dataset.featureNames = (0..<features).map { "feature_\($0)" }
        dataset.classNames = (0..<classes).map { "class_\($0)" }
        dataset.nRows = Int32(rows)
        dataset.nFeatures = Int32(features)
        dataset.values.reserveCapacity(rows * features)
        for row in 0..<rows {
            let label = row % classes
            dataset.labels.append(Int32(label))
            for _ in 0..<features {
                dataset.values.append(4 * Double(label) + random.nextGaussian())
            }
        }
        return dataset
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
