public import CRMCore
public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Pings systemd's watchdog at half its interval while the database and every event loop answer, and
/// refreshes the status line every 30 s. Does nothing but wait when not run by systemd.
public struct Watchdog<Store: StoreMaintenance>: Service {
    let store: Store
    let status: DaemonStatus<Store>
    let notifier: SystemdNotifier
    let logger: Logger

    public init(store: Store, status: DaemonStatus<Store>, notifier: SystemdNotifier, logger: Logger) {
        self.store = store
        self.status = status
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        // Ends at graceful shutdown; a thrown CancellationError would end the whole service group
        // and cut in-flight calls.
        await cancelWhenGracefulShutdown { await loop() }
    }

    private func loop() async {
        let interval = notifier.watchdogInterval
        if let interval { logger.info("watchdog enabled", metadata: ["interval": "\(interval)"]) }
        let tick = interval.map { $0 / 2 } ?? .seconds(30)
        var lastStatus = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            guard notifier.isActive, !Task.isCancelled else { continue }
            if interval != nil {
                if await Self.isHealthy(store, within: tick / 2) {
                    notifier.watchdog()
                } else {
                    logger.error("health check failed: withholding the watchdog ping")
                }
            }
            if ContinuousClock.now - lastStatus >= .seconds(30) {
                notifier.status(await status.line())
                lastStatus = .now
            }
        }
    }

    /// Whether the database answers and every event loop runs a task, each within `limit`.
    ///
    /// Returns at `limit` even when a check is stuck (a locked database
    /// cannot be cancelled): the stuck check finishes on its own later.
    static func isHealthy(_ store: Store, within limit: Duration) async -> Bool {
        let verdict = HealthVerdict()
        @Sendable func decide(_ healthy: Bool) {
            verdict.continuation.withLock { $0.take() }?.resume(returning: healthy)
        }
        return await withCheckedContinuation { continuation in
            verdict.continuation.withLock { $0 = continuation }
            Task {
                do {
                    try await store.ping()
                    for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                        try await loop.submit {}.get()
                    }
                    decide(true)
                } catch {
                    decide(false)
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                decide(false)
            }
        }
    }
}

/// The first answer of a health check wins; later ones are dropped.
private final class HealthVerdict: Sendable {
    let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
}
