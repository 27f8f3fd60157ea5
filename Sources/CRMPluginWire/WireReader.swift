/// Reads a frame payload written by ``WireWriter``; every read past the end throws.
package struct WireReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    package var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw WireError("payload ends after \(bytes.count) bytes; \(count) more expected at offset \(offset)")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    package mutating func uint32() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    package mutating func int32() throws -> Int32 {
        Int32(bitPattern: try uint32())
    }

    package mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    package mutating func uint8() throws -> UInt8 {
        try take(1).first!
    }

    /// A u32 length, then that many bytes of UTF-8.
    package mutating func text() throws -> String {
        let count = Int(try uint32())
        return String(decoding: try take(count), as: UTF8.self)
    }

    /// Everything not read yet.
    package mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}
