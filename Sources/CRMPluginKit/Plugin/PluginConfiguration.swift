/// What a plugin is created with: its settings from the daemon's configuration, and the host.
public struct PluginConfiguration: Sendable {
    /// The decoded `crm.plugin.v1.PluginConfig` the host passed to `init`.
    public var config: PluginConfig
    /// Where log messages go.
    public var host: PluginHost

    /// Creates a configuration; plugins receive one from the export helper, tests build their own.
    ///
    /// - Parameters:
    ///   - config: The plugin's configuration message.
    ///   - host: Where log messages go.
    public init(config: PluginConfig = PluginConfig(), host: PluginHost = .discarding) {
        self.config = config
        self.host = host
    }

    /// This plugin's settings from the daemon's configuration, as text. Keys are the plugin's own; describe
    /// them in `DescribeResponse.settings`.
    public var settings: [String: String] {
        config.settings
    }

    /// A directory the plugin may write to, private to it and kept across restarts; `nil` when there is none.
    public var stateDirectory: String? {
        config.stateDirectory.isEmpty ? nil : config.stateDirectory
    }

    /// The address space the plugin's process may use, in bytes; `nil` when the host sets no limit.
    /// A plugin whose memory grows with its parameters refuses a request that would not fit.
    public var memoryLimitBytes: UInt64? {
        config.memoryLimitBytes == 0 ? nil : config.memoryLimitBytes
    }
}
