import CRMCore
import CRMServer
import CRMStoreSQLite
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// crmd's pieces, each a `Service` of one `ServiceGroup`: the plugin host, the gRPC server, the
/// watchdog, the configuration reloader and the job runner, over a store opened before them and closed
/// after them.
///
/// The group starts them in this order and, on SIGTERM or SIGINT, stops them in the reverse one: running
/// jobs are cancelled first, so that the drain of in-flight calls does not wait on a training; the
/// server drains (plugin calls cancelled, health NOT_SERVING, STOPPING=1 to systemd); the plugins stop
/// last of the services, then the database closes.
struct Daemon {
    let settings: DaemonSettings
    let listener: Listener
    let logger: Logger
    /// Re-reads the configuration on SIGHUP and applies what can change while running.
    let reload: @Sendable (PluginHost) throws -> Void

    func run() async throws {
        try FileManager.default.createDirectory(
            atPath: settings.dataDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750]
        )
        let storageKeys = try settings.storageKeys()
        let store = try SQLiteRegistry(path: settings.databasePath, logger: logger, storageKeys: storageKeys)
        if let storageKeys {
            logger.info(
                "customer data keys are wrapped by the storage key; streets, interaction bodies and sensitive attributes are sealed",
                metadata: [
                    "storage_key": "\(storageKeys.current.id)",
                    "sensitive_attributes": "\(storageKeys.sensitiveAttributes.sorted().joined(separator: ","))",
                ]
            )
        } else {
            logger.notice(
                "no storage key: the customers' data keys, and the live registry with its personal fields, are stored in clear (docs/security.md)"
            )
            if !settings.storageSection.sensitiveAttributes.isEmpty {
                logger.warning(
                    "storage.sensitive_attributes are stored in clear: there is no storage key to seal them with"
                )
            }
        }
        do {
            try await serve(store)
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    private func serve<Store: RegistryStore>(_ store: Store) async throws {
        let (settings, listener, logger, reload) = (self.settings, self.listener, self.logger, self.reload)
        let plugins = PluginHost(configuration: settings.pluginHostConfiguration, logger: logger)
        await plugins.scan()
        let jobs = JobRunner(logger: logger)
        let policy = settings.callPolicy
        let api = RegistryAPI(
            store: store,
            plugins: plugins,
            jobs: jobs,
            limits: settings.limits,
            dataDirectory: settings.dataDirectory,
            roles: policy.roles,
            backup: settings.backup,
            logger: logger
        )
        let notifier = SystemdNotifier()
        let status = DaemonStatus(store: store, socketPath: listener.path, plugins: plugins)
        // Trapped before READY=1: systemd (or anyone) may ask for a reload at once, and SIGHUP's default
        // action ends the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let server = GRPCServerRunner(
            listener: listener,
            services: api.services,
            interceptors: [
                CallerInterceptor(
                    policy: policy,
                    logger: logger,
                    callsPerCaller: settings.limits.callsPerCaller
                )
            ],
            limits: settings.limits,
            logger: logger,
            whenListening: {
                logger.notice(
                    "crmd serving",
                    metadata: [
                        "socket": "\(listener.path)", "data_dir": "\(settings.dataDirectory)",
                        "version": "\(CRMDVersion.current)", "socket_activated": "\(listener.isInherited)",
                        "access": "\(policy.roles == nil ? "every caller (no access section)" : "by role")",
                    ]
                )
                notifier.ready(status: await status.line())
            },
            beforeDrain: {
                logger.notice("shutting down: draining in-flight calls")
                notifier.stopping()
                api.health.markShuttingDown()
                plugins.cancelAllCalls()
            }
        )
        let reloader = ConfigurationReloader(signals: hangups, status: status, notifier: notifier, logger: logger) {
            try reload(plugins)
            try await ChangeActor.$current.withValue(.daemon("reload on SIGHUP")) {
                try await plugins.scan(recordingIn: store)
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: plugins),
                    .init(service: server),
                    .init(service: Watchdog(store: store, status: status, notifier: notifier, logger: logger)),
                    .init(service: reloader),
                    .init(service: jobs),
                    .init(service: ChangeLogHeadReporter(store: store, logger: logger)),
                    .init(
                        service: BackupScheduler(
                            backups: Backups(store: store, settings: settings.backup, logger: logger),
                            logger: logger
                        )
                    ),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.notice("crmd stopped")
    }
}
