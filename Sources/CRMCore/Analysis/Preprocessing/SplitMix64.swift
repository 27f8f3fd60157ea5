/// A small seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64), so that splits, folds and
/// permutations are the same for the same seed on every platform and toolchain.
///
/// The standard library's `shuffle(using:)` and `random(in:using:)` are not specified to draw the same numbers
/// across Swift versions, so the analysis code shuffles with ``shuffle(_:)`` and draws with ``next(below:)``
/// instead, whose algorithms are fixed here.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method, without bias).
    /// - Parameter bound: The exclusive upper bound; must be positive.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `elements` in place (Fisher–Yates, from the back).
    public mutating func shuffle<T>(_ elements: inout [T]) {
        var index = elements.count - 1
        while index > 0 {
            let other = next(below: index + 1)
            if other != index {
                elements.swapAt(index, other)
            }
            index -= 1
        }
    }
}
