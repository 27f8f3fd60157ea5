import ArgumentParser
import CRMProto
import GRPCCore

/// `crmctl admin …`: facts about the running daemon.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Inspect the running daemon.",
        subcommands: [Version.self, Stats.self, Health.self, WhoAmI.self, RotateKey.self, Quality.self]
    )

    struct Version: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show crmd's version, API, SQLite and schema versions."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let info = try await Daemon.withClient(options) { client in
                try await Crm_V1_AdminService.Client(wrapping: client).getVersion(Crm_V1_GetVersionRequest())
            }
            try options.printer.fields(
                info,
                [
                    ("version", info.version), ("api_version", info.apiVersion),
                    ("storage_engine", info.storageEngine), ("storage_version", info.storageVersion),
                    ("schema_version", String(info.schemaVersion)),
                ]
            )
        }
    }

    struct WhoAmI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "whoami",
            abstract: "Show who crmd takes you for: uid, groups and role (docs/access.md)."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let me = try await Daemon.withClient(options) { client in
                try await Crm_V1_AdminService.Client(wrapping: client).whoAmI(Crm_V1_WhoAmIRequest())
            }
            try options.printer.fields(
                me,
                [
                    ("uid", String(me.uid)), ("gid", String(me.gid)), ("pid", String(me.pid)), ("user", me.user),
                    ("groups", me.groups.joined(separator: ",")),
                    ("role", me.rolesChecked ? me.role : "\(me.role) (crmd checks no roles: no access section)"),
                ]
            )
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract:
                "Re-wrap every customer data key under the current storage key and seal what is in clear (a job; admin).",
            discussion: """
                Put the new key in storage.key_file (or the storage-key credential), list the old one in \
                storage.previous_key_files, restart crmd, run this, then drop the old key (docs/security.md). \
                Also run it after giving crmd its first storage key or declaring another attribute sensitive: \
                what was written in clear before is sealed.
                """
        )

        @OptionGroup var options: ClientOptions
        @Flag(help: "Print the job and return; follow it with crmctl job wait.")
        var detach = false

        func run() async throws {
            let job = try await Daemon.withClient(options) { client in
                try await Crm_V1_AdminService.Client(wrapping: client).rotateStorageKey(
                    Crm_V1_RotateStorageKeyRequest()
                )
            }
            let last = detach ? job : try await JobCommand.follow(job.name, options: options, quiet: false)
            try JobCommand.print([last], response: last, options: options)
            if !detach { try JobCommand.requireSuccess(last) }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show record counts, database size and uptime.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let stats = try await Daemon.withClient(options) { client in
                try await Crm_V1_AdminService.Client(wrapping: client).getStats(Crm_V1_GetStatsRequest())
            }
            let uptime = stats.hasUptime ? "\(stats.uptime.seconds) s" : ""
            try options.printer.fields(
                stats,
                [
                    ("customers", String(stats.customers)), ("deleted_customers", String(stats.deletedCustomers)),
                    ("orders", String(stats.orders)), ("payments", String(stats.payments)),
                    ("interactions", String(stats.interactions)),
                    ("database_size_bytes", String(stats.databaseSizeBytes)), ("uptime", uptime),
                    ("start_time", RFC3339.format(stats.startTime, isSet: stats.hasStartTime)),
                    ("data_dir", stats.dataDir),
                    ("disk_free_bytes", String(stats.diskFreeBytes)),
                    ("disk_full", stats.diskFull ? "yes: writes are refused until space is freed" : "no"),
                    (
                        "storage_key",
                        stats.storageKeyID.isEmpty
                            ? "none: data keys and the registry are stored in clear (docs/security.md)"
                            : stats.storageKeyID
                    ),
                ]
            )
        }
    }

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask grpc.health.v1.Health whether crmd serves; exits 1 when it does not."
        )

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("Service to ask about (default: the whole server).", valueName: "name"))
        var service = ""

        func run() async throws {
            let request = Grpc_Health_V1_HealthCheckRequest.with { $0.service = service }
            let response = try await Daemon.withClient(options) { client in
                try await Grpc_Health_V1_Health.Client(wrapping: client).check(request)
            }
            let status: String
            switch response.status {
            case .serving: status = "SERVING"
            case .notServing: status = "NOT_SERVING"
            case .serviceUnknown: status = "SERVICE_UNKNOWN"
            case .unknown: status = "UNKNOWN"
            case .UNRECOGNIZED(let value): status = "UNRECOGNIZED(\(value))"
            }
            try options.printer.fields(response, [("status", status)])
            guard response.status == .serving else { throw ExitCode(CommandError.Code.failure.rawValue) }
        }
    }
}
