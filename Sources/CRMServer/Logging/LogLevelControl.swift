public import Logging
import Synchronization

/// The daemon's log level, shared by its log handlers so that a reload
/// (SIGHUP) can change it while running.
public final class LogLevelControl: Sendable {
    private let current: Mutex<Logger.Level>

    public init(_ level: Logger.Level) {
        current = Mutex(level)
    }

    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
