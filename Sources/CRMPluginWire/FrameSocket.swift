#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking reads and writes of whole frames on one end of the socketpair. Call it only from threads of its
/// own, never from Swift's cooperative pool: a read waits for the other side.
package struct FrameSocket: Sendable {
    package let descriptor: Int32

    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next frame, or `nil` at the end of the stream (the other side closed its end or died).
    package func read() throws -> PluginFrame? {
        var header = [UInt8](repeating: 0, count: PluginFrame.headerSize)
        guard try fill(&header, allowEnd: true) else { return nil }
        let decoded = try PluginFrame.header(header)
        var payload = [UInt8](repeating: 0, count: decoded.length)
        _ = try fill(&payload, allowEnd: false)
        return PluginFrame(decoded.kind, callID: decoded.callID, payload: payload)
    }

    /// Reads exactly `buffer.count` bytes; returns false when the stream ends before the first byte and
    /// `allowEnd` is true.
    private func fill(_ buffer: inout [UInt8], allowEnd: Bool) throws -> Bool {
        var done = 0
        while done < buffer.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                recv(descriptor, raw.baseAddress! + done, raw.count - done, 0)
            }
            if count > 0 {
                done += count
            } else if count == 0 {
                if done == 0 && allowEnd { return false }
                throw WireError("the stream ended inside a frame")
            } else if errno != EINTR {
                if errno == ECONNRESET && done == 0 && allowEnd { return false }
                throw WireError("reading a frame failed: errno \(errno)")
            }
        }
        return true
    }

    /// Writes all of `bytes` (waiting while the socket buffer is full). `MSG_NOSIGNAL`: a closed peer is an
    /// error here, not a SIGPIPE that would end the writer's process.
    package func write(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 {
                done += count
            } else if errno != EINTR {
                throw WireError("writing a frame failed: errno \(errno)")
            }
        }
    }

    package func write(_ frame: PluginFrame) throws {
        try write(frame.encoded)
    }
}
