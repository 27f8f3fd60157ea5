import Foundation

/// Where the plugin host looks for plugins, how each plugin is configured, and how plugins run.
public struct PluginHostConfiguration: Sendable, Equatable {
    /// One folder to scan.
    public struct Folder: Sendable, Hashable {
        public var path: String
        /// Only `libcrmplugin-*.so` files are considered (the build's products folder, which also
        /// holds other libraries); otherwise every `*.so`.
        public var shippedPluginsOnly: Bool

        public init(path: String, shippedPluginsOnly: Bool = false) {
            self.path = path
            self.shippedPluginsOnly = shippedPluginsOnly
        }
    }

    /// The configuration of one plugin, by its descriptor name.
    public struct Plugin: Sendable, Equatable {
        /// `false` lists the plugin as disabled and never calls its `init`.
        public var enabled: Bool
        /// Passed to `init` as `PluginConfig.settings`.
        public var settings: [String: String]
        /// Loads the library into crmd itself instead of plugin-host processes: no process boundary, no
        /// limits, a crash of the plugin is a crash of crmd. For plugins whose per-call overhead matters.
        public var trusted: Bool
        /// RLIMIT_AS of each of the plugin's processes, in bytes; `nil`: ``PluginHostConfiguration/memoryLimit``.
        public var memoryLimit: UInt64?
        /// CPU time one call may use, in seconds (RLIMIT_CPU); `nil`: ``PluginHostConfiguration/cpuLimit``.
        public var cpuLimit: UInt64?
        /// How many processes may serve the plugin's calls at once; `nil`: ``PluginHostConfiguration/workers``.
        /// A plugin with CRM_PLUGIN_FLAG_SERIAL always gets one.
        public var workers: Int?

        public init(
            enabled: Bool = true,
            settings: [String: String] = [:],
            trusted: Bool = false,
            memoryLimit: UInt64? = nil,
            cpuLimit: UInt64? = nil,
            workers: Int? = nil
        ) {
            self.enabled = enabled
            self.settings = settings
            self.trusted = trusted
            self.memoryLimit = memoryLimit
            self.cpuLimit = cpuLimit
            self.workers = workers
        }
    }

    /// Scanned in order; the first plugin with a name wins.
    public var folders: [Folder]
    public var plugins: [String: Plugin]
    /// The `crmd-plugin-host` executable; `nil`: ``locateHostExecutable(environment:)``.
    public var hostExecutable: String?
    /// How long loading a library, its `init`, and its first `describe` may each take.
    public var initTimeout: Duration
    /// How long a cancelled call (or a stopping process) has to end by itself before its process is killed.
    public var cancelGrace: Duration
    /// RLIMIT_AS of a plugin's process unless the plugin's own setting says otherwise; 0 for none.
    public var memoryLimit: UInt64
    /// CPU seconds per call unless the plugin's own setting says otherwise; 0 for none.
    public var cpuLimit: UInt64
    /// Processes per plugin unless the plugin's own setting says otherwise.
    public var workers: Int

    public static let defaultMemoryLimit: UInt64 = 4 << 30
    public static let defaultWorkers = 4

    public init(
        folders: [Folder] = [],
        plugins: [String: Plugin] = [:],
        hostExecutable: String? = nil,
        initTimeout: Duration = .seconds(10),
        cancelGrace: Duration = .seconds(2),
        memoryLimit: UInt64 = Self.defaultMemoryLimit,
        cpuLimit: UInt64 = 0,
        workers: Int = Self.defaultWorkers
    ) {
        self.folders = folders
        self.plugins = plugins
        self.hostExecutable = hostExecutable
        self.initTimeout = initTimeout
        self.cancelGrace = cancelGrace
        self.memoryLimit = memoryLimit
        self.cpuLimit = cpuLimit
        self.workers = workers
    }

    /// The installed plugin folders.
    public static let installedFolders = ["/usr/lib/crmd/plugins", "/usr/local/lib/crmd/plugins"]

    /// The executable's file name.
    public static let hostExecutableName = "crmd-plugin-host"

    /// Where `crmd-plugin-host` is when the configuration does not say: `$CRMD_PLUGIN_HOST`, else next to the
    /// running executable (a SwiftPM build folder), else `../libexec/crmd/` from it (`make install`).
    public static func locateHostExecutable(environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let path = environment["CRMD_PLUGIN_HOST"], !path.isEmpty { return path }
        let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = folder.appendingPathComponent(hostExecutableName).path
        let libexec = folder.deletingLastPathComponent().appendingPathComponent("libexec/crmd/\(hostExecutableName)")
            .path
        if !FileManager.default.isExecutableFile(atPath: beside),
            FileManager.default.isExecutableFile(atPath: libexec)
        {
            return libexec
        }
        return beside
    }

    /// The settings of the plugin `name`, with the host-wide defaults filled in.
    package func limits(of name: String, serial: Bool) -> (memory: UInt64, cpu: UInt64, workers: Int) {
        let plugin = plugins[name] ?? Plugin()
        return (
            plugin.memoryLimit ?? memoryLimit,
            plugin.cpuLimit ?? cpuLimit,
            serial ? 1 : max(1, plugin.workers ?? workers)
        )
    }
}
