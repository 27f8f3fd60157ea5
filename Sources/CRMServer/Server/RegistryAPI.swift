public import CRMCore
import CRMProto
public import GRPCCore
public import Logging

/// The registry's gRPC services over one store, the health service that answers for them, and server
/// reflection (``ReflectionService``) that describes them.
public struct RegistryAPI<Store: RegistryStore>: Sendable {
    /// Every service crmd serves, health included.
    public let services: [any RegistrableRPCService]
    /// Reports SERVING for each service until the daemon starts stopping.
    public let health: HealthService

    /// - Parameters:
    ///   - store: the registry.
    ///   - plugins: the plugins that analysis and `PluginService` call.
    ///   - jobs: where trainings run.
    ///   - limits: import batch sizes and concurrent trainings.
    ///   - dataDirectory: the store's folder, for the disk-space figures of `AdminService`.
    ///   - roles: the roles callers hold, when the configuration checks them (`AdminService.WhoAmI`).
    ///   - backup: the `backup` section; backups go to `<dataDirectory>/backups` when nil.
    ///   - logger: the analysis service's logger.
    public init(
        store: Store,
        plugins: PluginHost,
        jobs: JobRunner,
        limits: ServerLimits,
        dataDirectory: String,
        roles: RolePolicy? = nil,
        backup: BackupSettings? = nil,
        logger: Logger
    ) {
        health = HealthService(services: [
            "crm.v1.CustomerService", "crm.v1.OrderService", "crm.v1.InteractionService", "crm.v1.AdminService",
            "crm.v1.PluginService", "crm.v1.AnalysisService", "crm.v1.JobService", "crm.v1.AuditService",
            "crm.v1.PrivacyService", "crm.v1.BackupService", "crm.v1.DuplicateService",
        ])
        let imports = ImportLimits(limits)
        let registry: [any RegistrableRPCService] = [
            CustomerService(store: store, imports: imports),
            OrderService(store: store, imports: imports),
            InteractionService(store: store, imports: imports),
            AdminService(store: store, jobs: jobs, dataDirectory: dataDirectory, roles: roles),
            PluginService(host: plugins, changeLog: store),
            AnalysisService(
                store: store,
                host: plugins,
                jobs: jobs,
                logger: logger,
                concurrentTrainings: limits.concurrentTrainings
            ),
            JobService(runner: jobs),
            AuditService(store: store),
            PrivacyService(store: store),
            DuplicateService(store: store, jobs: jobs),
            BackupService(
                backups: Backups(
                    store: store,
                    settings: backup
                        ?? BackupSettings(directory: dataDirectory + "/backups", scratchDirectory: dataDirectory),
                    logger: logger
                ),
                jobs: jobs
            ),
            health,
        ]
        let reflection = ReflectionService(serving: registry)
        services = registry + [reflection, ReflectionServiceV1Alpha(reflection)]
    }
}
