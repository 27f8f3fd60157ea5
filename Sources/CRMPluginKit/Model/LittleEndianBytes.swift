/// Reads fixed-width integers written little-endian, for a plugin's own model format (see
/// `TrainResponse.model`: the bytes are the plugin's, with a format version).
public struct LittleEndianReader: Sendable {
    public let bytes: [UInt8]
    /// Where the next read starts.
    public var offset: Int

    @inlinable
    public init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes left after ``offset``.
    @inlinable
    public var remaining: Int { bytes.count - offset }

    /// Reads the next integer; the caller has checked that ``remaining`` holds it.
    @inlinable
    public mutating func read<Value: FixedWidthInteger>() -> Value {
        var value: Value = 0
        for index in 0..<MemoryLayout<Value>.size {
            value |= Value(truncatingIfNeeded: bytes[offset + index]) << (8 * index)
        }
        offset += MemoryLayout<Value>.size
        return value
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` little-endian, as ``LittleEndianReader`` reads it.
    @inlinable
    public mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
