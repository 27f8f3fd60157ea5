/// NumPy's legacy `RandomState(seed)` for an integer seed (MT19937 with `init_genrand` seeding): the draws
/// scikit-learn makes for `random_state=seed`.
///
/// A plugin that draws the same numbers from the same generator as scikit-learn follows its path: the
/// decision tree seeds its splitter from it, the neural network draws its initial weights (`uniform`) and
/// each epoch's order of rows (`shuffle`) from it.
public struct NumpyRandomState: Sendable {
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624

    /// `RandomState(seed)` for an integer seed: MT19937 with `init_genrand` seeding.
    public init(seed: UInt32) {
        key[0] = seed
        for index in 1..<624 {
            let previous = key[index - 1]
            key[index] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(index)
        }
    }

    /// The next 32 random bits.
    public mutating func next() -> UInt32 {
        if position >= 624 {
            for index in 0..<624 {
                let y = (key[index] & 0x8000_0000) | (key[(index + 1) % 624] & 0x7FFF_FFFF)
                key[index] = key[(index + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            position = 0
        }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// `random_sample()`: a double in [0, 1) from 53 random bits.
    public mutating func nextDouble() -> Double {
        let high = Double(next() >> 5)
        let low = Double(next() >> 6)
        return (high * 67_108_864 + low) / 9_007_199_254_740_992
    }

    /// `uniform(low, high)`.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextDouble()
    }

    /// `random_interval(max)`: an integer in 0...max, by rejection under the smallest covering bit mask.
    public mutating func interval(_ max: Int) -> Int {
        guard max > 0 else {
            return 0
        }
        var mask = UInt64(max)
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        mask |= mask >> 32
        if max <= 0xFFFF_FFFF {
            while true {
                let value = UInt64(next()) & mask
                if value <= UInt64(max) {
                    return Int(value)
                }
            }
        }
        while true {
            let value = (UInt64(next()) << 32 | UInt64(next())) & mask
            if value <= UInt64(max) {
                return Int(value)
            }
        }
    }

    /// `shuffle(values)` for a one-dimensional array: Fisher–Yates from the end.
    public mutating func shuffle(_ values: UnsafeMutableBufferPointer<Int32>) {
        guard values.count > 1 else {
            return
        }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, interval(index))
        }
    }
}
