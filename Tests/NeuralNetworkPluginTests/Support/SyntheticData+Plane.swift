import CRMPluginKit
import PluginTestSupport

extension SyntheticData {
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
        return Dataset(rows: rows, labels: labels)
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
        return Dataset(rows: values, labels: labels)
    }
}
