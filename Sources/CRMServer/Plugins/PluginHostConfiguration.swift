/// Where the plugin host looks for plugins and how each plugin is configured.
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

        public init(enabled: Bool = true, settings: [String: String] = [:]) {
            self.enabled = enabled
            self.settings = settings
        }
    }

    /// Scanned in order; the first plugin with a name wins.
    public var folders: [Folder]
    public var plugins: [String: Plugin]

    public init(folders: [Folder] = [], plugins: [String: Plugin] = [:]) {
        self.folders = folders
        self.plugins = plugins
    }

    /// The installed plugin folders.
    public static let installedFolders = ["/usr/lib/crmd/plugins", "/usr/local/lib/crmd/plugins"]
}
