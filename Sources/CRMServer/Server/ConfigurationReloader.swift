public import CRMCore
public import Logging
public import ServiceLifecycle
public import UnixSignals

/// SIGHUP: re-reads the configuration, telling systemd RELOADING=1 … READY=1 around it. A reload that
/// fails keeps the running configuration and says so in the log and the status line.
public struct ConfigurationReloader<Store: StoreMaintenance>: Service {
    let signals: UnixSignalsSequence
    let status: DaemonStatus<Store>
    let notifier: SystemdNotifier
    let logger: Logger
    let reload: @Sendable () async throws -> Void

    /// - Parameters:
    ///   - signals: SIGHUP, trapped before the daemon reports ready: its default action ends the process.
    ///   - reload: re-reads the configuration and applies it; throws to keep the old one.
    public init(
        signals: UnixSignalsSequence,
        status: DaemonStatus<Store>,
        notifier: SystemdNotifier,
        logger: Logger,
        reload: @escaping @Sendable () async throws -> Void
    ) {
        self.signals = signals
        self.status = status
        self.notifier = notifier
        self.logger = logger
        self.reload = reload
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                notifier.reloading()
                do {
                    try await reload()
                    logger.notice("configuration reloaded")
                    notifier.ready(status: await status.line())
                } catch {
                    logger.error("reload failed; keeping the running configuration", metadata: ["error": "\(error)"])
                    notifier.ready(status: "reload failed (\(error)); " + (await status.line()))
                }
            }
        }
    }
}
