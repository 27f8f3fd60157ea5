import SwiftProtobuf

/// Bytes in memory the host frees through the descriptor's `free_buffer`: SwiftProtobuf serialises a response
/// straight into it, so nothing is copied on the way out.
///
/// Allocated with `UnsafeMutableRawPointer.allocate` and released with `deallocate()` (the `free_buffer`
/// thunk); ownership passes to the host with ``release()``.
struct ResponseBytes: SwiftProtobufContiguousBytes {
    private(set) var pointer: UnsafeMutableRawPointer?
    private(set) var count: Int

    init(repeating value: UInt8, count: Int) {
        self.count = count
        if count > 0 {
            let pointer = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 16)
            pointer.initializeMemory(as: UInt8.self, repeating: value, count: count)
            self.pointer = pointer
        } else {
            self.pointer = nil
        }
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        let bytes = Array(sequence)
        self.init(repeating: 0, count: bytes.count)
        if let pointer {
            bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
    }

    /// UTF-8 text, for error messages.
    init(text: String) {
        self.init(Array(text.utf8))
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Hands the memory over; the receiver frees it with ``free(_:)``.
    consuming func release() -> (data: UnsafeMutablePointer<UInt8>?, count: Int) {
        (pointer?.assumingMemoryBound(to: UInt8.self), count)
    }

    /// Frees memory handed out by ``release()``.
    static func free(_ data: UnsafeMutableRawPointer) {
        data.deallocate()
    }
}
