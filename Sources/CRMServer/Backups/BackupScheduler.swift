public import CRMCore
public import Logging
public import ServiceLifecycle

/// Takes a backup every `backup.every` and then applies the retention policy — only after a backup
/// that succeeded, so that a failing disk never prunes the backups that still exist.
public struct BackupScheduler<Store: StoreMaintenance & ChangeLogStore>: Service {
    let backups: Backups<Store>
    let logger: Logger

    public init(backups: Backups<Store>, logger: Logger) {
        self.backups = backups
        self.logger = logger
    }

    public func run() async throws {
        guard let every = backups.settings.every else {
            // Nothing scheduled: a service of the group still runs until the daemon stops.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                guard !Task.isCancelled else { return }
                await runOnce()
            }
        }
    }

    /// One scheduled backup and, when it succeeded, the retention policy.
    func runOnce() async {
        do {
            let made = try await ChangeActor.$current.withValue(.daemon("scheduled backup")) {
                try await backups.create { _, _ in }
            }
            let removed = try await backups.applyRetention()
            logger.info(
                "scheduled backup done",
                metadata: ["backup_file": "\(made.path)", "removed_by_retention": "\(removed.count)"]
            )
        } catch {
            logger.error("scheduled backup failed; no backup was removed", metadata: ["error": "\(error)"])
        }
    }
}
