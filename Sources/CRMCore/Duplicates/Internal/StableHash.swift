/// A 64-bit hash that is the same in every process and on every platform (FNV-1a, then the SplitMix64
/// finaliser to spread the bits), so that blocks and their order never depend on Swift's per-process seed.
///
/// The duplicate search keeps hashes of normalised values instead of the values: two different values that
/// hash alike would be taken as equal, with a chance of about one in 2⁶⁴ per comparison (2³² for the 32-bit
/// ``narrow`` hashes of the address and company).
struct StableHash {
    private(set) var state: UInt64

    /// A hash whose value also depends on `seed`, so that the same text under two seeds (an email key and a
    /// name token) hashes apart.
    init(seed: UInt64 = 0) {
        state = 0xCBF2_9CE4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15)
    }

    mutating func combine(byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    mutating func combine(_ text: some StringProtocol) {
        for byte in text.utf8 {
            combine(byte: byte)
        }
    }

    mutating func combine(scalar: UInt32) {
        combine(byte: UInt8(truncatingIfNeeded: scalar))
        if scalar > 0xFF {
            combine(byte: UInt8(truncatingIfNeeded: scalar >> 8))
            combine(byte: UInt8(truncatingIfNeeded: scalar >> 16))
        }
    }

    mutating func combine(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            combine(byte: UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// The hash; never 0, which the compact candidates use for "no value".
    var value: UInt64 {
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return z == 0 ? 1 : z
    }

    /// The hash folded to 32 bits; never 0.
    var narrow: UInt32 {
        let wide = value
        let folded = UInt32(truncatingIfNeeded: wide ^ (wide >> 32))
        return folded == 0 ? 1 : folded
    }

    /// The hash of `text`, or 0 when it is empty.
    static func of(_ text: some StringProtocol, seed: UInt64 = 0) -> UInt64 {
        if text.isEmpty {
            return 0
        }
        var hash = StableHash(seed: seed)
        hash.combine(text)
        return hash.value
    }

    /// The 32-bit hash of `text`, or 0 when it is empty.
    static func narrow(_ text: some StringProtocol) -> UInt32 {
        if text.isEmpty {
            return 0
        }
        var hash = StableHash()
        hash.combine(text)
        return hash.narrow
    }
}
