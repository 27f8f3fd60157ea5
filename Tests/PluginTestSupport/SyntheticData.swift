package import CRMPluginKit

/// Deterministic test data: Gaussian classes drawn from a seeded ``SplitMix64``.
package enum SyntheticData {
    /// Gaussian blobs around well separated centres: `rows` rows of `features` features in `classes` classes
    /// (`feature_0`…, `class_0`…); class `k`'s centre is 4·k in every feature, with unit noise, so the classes are
    /// easy to separate.
    package static func blobs(rows: Int, features: Int, classes: Int, seed: UInt64 = 42) -> Dataset {
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

    /// Overlapping Gaussian classes (`x0`…, `c0`…): class `k`'s centre is `k · spacing` in every feature, with unit
    /// noise, so that a model meets many near-ties.
    ///
    /// - Parameters:
    ///   - spacing: How far apart neighbouring class centres are; below about 2 the classes overlap.
    package static func noisy(rows: Int, features: Int, classes: Int, spacing: Double, seed: UInt64 = 42) -> Dataset {
        var random = SplitMix64(seed: seed)
        var values: [[Double]] = []
        var labels: [Int32] = []
        for row in 0..<rows {
            let label = row % classes
            labels.append(Int32(label))
            values.append((0..<features).map { _ in Double(label) * spacing + random.nextGaussian() })
        }
        return Dataset(rows: values, labels: labels, classes: classes)
    }
}
