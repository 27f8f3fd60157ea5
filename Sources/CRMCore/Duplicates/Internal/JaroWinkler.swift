/// The Jaro-Winkler similarity over buffers of Unicode scalar values, without allocating on the heap: the
/// duplicate search calls it for name tokens straight out of its name storage.
enum JaroWinkler {
    /// Winkler's scaling factor for each common leading scalar.
    static let prefixScale = 0.1
    /// The most leading scalars that earn the bonus.
    static let maximumPrefix = 4
    /// The Jaro similarity above which the prefix bonus is given (Winkler's "boost threshold").
    static let boostThreshold = 0.7

    static func similarity(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        let jaro = jaro(a, b)
        guard jaro > boostThreshold else {
            return jaro
        }
        var prefix = 0
        while prefix < min(maximumPrefix, a.count, b.count) && a[prefix] == b[prefix] {
            prefix += 1
        }
        return jaro + Double(prefix) * prefixScale * (1 - jaro)
    }

    /// Matches are equal scalars at most `max(|a|, |b|) / 2 - 1` positions apart, each used once; half of the
    /// matches that appear in another order are transpositions.
    static func jaro(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Double {
        if a.isEmpty || b.isEmpty {
            return a.isEmpty && b.isEmpty ? 1 : 0
        }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            let matchedA = UnsafeMutableBufferPointer(rebasing: flags[..<a.count])
            let matchedB = UnsafeMutableBufferPointer(rebasing: flags[a.count...])
            var matches = 0
            for i in 0..<a.count {
                let low = max(0, i - window)
                let high = min(b.count - 1, i + window)
                if low > high {
                    continue
                }
                for j in low...high where !matchedB[j] && a[i] == b[j] {
                    matchedA[i] = true
                    matchedB[j] = true
                    matches += 1
                    break
                }
            }
            if matches == 0 {
                return 0
            }
            var outOfOrder = 0
            var j = 0
            for i in 0..<a.count where matchedA[i] {
                while !matchedB[j] {
                    j += 1
                }
                if a[i] != b[j] {
                    outOfOrder += 1
                }
                j += 1
            }
            let m = Double(matches)
            let transpositions = Double(outOfOrder) / 2
            return (m / Double(a.count) + m / Double(b.count) + (m - transpositions) / m) / 3
        }
    }
}
