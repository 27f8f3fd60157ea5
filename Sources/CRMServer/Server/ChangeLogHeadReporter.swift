public import CRMCore
public import Logging
public import ServiceLifecycle

/// Copies the change log's head (revision and hash) to the log — the journal under systemd, as the
/// structured fields `CHANGE_LOG_REVISION` and `CHANGE_LOG_HEAD` — at start, every `interval` when it
/// moved, and at shutdown. A copy outside the database is what shows a log rewritten or cut short:
/// `crmctl audit verify --head HASH` (docs/audit.md).
public struct ChangeLogHeadReporter<Store: ChangeLogStore>: Service {
    let store: Store
    let interval: Duration
    let logger: Logger

    public init(store: Store, interval: Duration = .seconds(300), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let last = await cancelWhenGracefulShutdown { () async -> ChangeLogHead? in
            var reported: ChangeLogHead? = nil
            while !Task.isCancelled {
                reported = await report(after: reported)
                try? await Task.sleep(for: interval)
            }
            return reported
        }
        _ = await report(after: last ?? nil)
    }

    /// Logs the head unless it is `previous`; returns what was logged (or `previous`).
    private func report(after previous: ChangeLogHead?) async -> ChangeLogHead? {
        do {
            let head = try await store.changeLogHead()
            guard head != previous else { return previous }
            logger.notice(
                "change log head",
                metadata: [
                    "change_log_revision": "\(head.revision)",
                    "change_log_head": "\(head.hash.hexString)",
                ]
            )
            return head
        } catch {
            logger.warning("cannot read the change log's head", metadata: ["error": "\(error)"])
            return previous
        }
    }
}
