/// Builds a frame payload: little-endian integers and length-prefixed text.
package struct WireWriter: Sendable {
    package private(set) var bytes: [UInt8]

    package init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ value: Int32) {
        append(UInt32(bitPattern: value))
    }

    package mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func append(_ value: UInt8) {
        bytes.append(value)
    }

    package mutating func append(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// A u32 length, then the UTF-8 bytes.
    package mutating func appendText(_ text: String) {
        append(UInt32(text.utf8.count))
        append(text.utf8)
    }
}
