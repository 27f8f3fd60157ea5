import CRMDLauncher
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An `AF_UNIX` datagram socket bound by a test, standing in for the socket
/// of systemd's notification protocol (`NOTIFY_SOCKET`) or for the journal's
/// (`/run/systemd/journal/socket`). A thread of its own receives, so that the
/// time of arrival does not depend on the (small) cooperative pool.
final class DatagramListener: Sendable {
    /// One message as it arrived.
    struct Datagram: Sendable {
        var payload: [UInt8]
        /// When it arrived, on the test's clock.
        var received: ContinuousClock.Instant
        /// When it arrived, in microseconds of `CLOCK_MONOTONIC` (the clock of `MONOTONIC_USEC`).
        var receivedMonotonic: UInt64

        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    let path: String
    private let descriptor: Int32
    private let state = Mutex(State())

    private struct State {
        var datagrams: [Datagram] = []
        var closed = false
    }

    /// Binds `path` (which must not exist; at most 107 bytes) and starts receiving.
    init(path: String) throws {
        var address = sockaddr_un()
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw HarnessError("socket path longer than sun_path allows: \(path)")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket(AF_UNIX, SOCK_DGRAM): errno \(errno)") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let error = errno
            Glibc.close(descriptor)
            throw HarnessError("bind(\(path)): errno \(error)")
        }
        self.path = path
        self.descriptor = descriptor
        let thread = Thread { [self] in receiveUntilClosed() }
        thread.name = "datagrams \(path)"
        thread.start()
    }

    /// Stops receiving; the receiving thread closes the socket within 50 ms.
    func close() {
        state.withLock { $0.closed = true }
    }

    private func receiveUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while !state.withLock({ $0.closed }) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes {
                recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            guard count >= 0 else { continue }
            let datagram = Datagram(
                payload: Array(buffer[0..<count]),
                received: .now,
                receivedMonotonic: monotonicMicroseconds()
            )
            state.withLock { $0.datagrams.append(datagram) }
        }
        Glibc.close(descriptor)
        unlink(path)
    }

    /// Every datagram received so far, in order of arrival.
    var datagrams: [Datagram] { state.withLock { $0.datagrams } }

    /// Waits for a datagram at position `after` or later that satisfies `predicate`.
    /// - Parameters:
    ///   - after: the index in ``datagrams`` to start looking at.
    ///   - timeout: how long to wait.
    ///   - sender: the crmd that sends; the wait ends with an error when it exits.
    /// - Returns: the datagram and its index.
    func waitFor(
        after: Int = 0,
        timeout: Duration,
        sender: ManagedCrmd? = nil,
        _ predicate: (Datagram) -> Bool
    ) async throws -> (index: Int, datagram: Datagram) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let all = datagrams
            if after < all.count, let index = all[after...].firstIndex(where: predicate) {
                return (index, all[index])
            }
            if let reason = sender?.exitReason { throw HarnessError(reason) }
            if ContinuousClock.now >= deadline {
                throw HarnessError(
                    "no matching datagram on \(path) within \(timeout); received:\n"
                        + all.enumerated().map { "  [\($0.offset)] \($0.element.text.debugDescription)" }.joined(
                            separator: "\n"
                        )
                )
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Microseconds of `CLOCK_MONOTONIC`, the clock systemd's `MONOTONIC_USEC=` is read on.
func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
}
