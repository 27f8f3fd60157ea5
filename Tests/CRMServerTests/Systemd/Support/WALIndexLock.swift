import CRMDLauncher
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Makes an SQLite database in WAL mode stop answering: holds, from this
/// process, a write lock on every lock byte of its WAL index (bytes 120–127
/// of `<database>-shm`: the write, checkpoint, recovery and five read-mark
/// locks; https://www.sqlite.org/walformat.html). Readers then wait in their
/// busy handler until ``release()``.
struct WALIndexLock {
    private let descriptor: Int32

    /// Takes the locks, retrying while a transaction of crmd's holds one of them.
    static func acquire(database: String) async throws -> WALIndexLock {
        let path = database + "-shm"
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw HarnessError("open \(path): errno \(errno)") }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 120
        lock.l_len = 8
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while fcntl(descriptor, F_SETLK, &lock) != 0 {
            guard errno == EAGAIN || errno == EACCES, ContinuousClock.now < deadline else {
                let error = errno
                close(descriptor)
                throw HarnessError("cannot lock the WAL index \(path): errno \(error)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return WALIndexLock(descriptor: descriptor)
    }

    /// Closing the descriptor drops this process's locks on the file.
    func release() {
        close(descriptor)
    }
}
