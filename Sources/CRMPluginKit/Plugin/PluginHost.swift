/// The daemon, as a plugin sees it: where log messages go.
///
/// Given to the plugin in its ``PluginConfiguration`` and in every ``PluginCallContext``. Safe to use from any
/// thread until the plugin is shut down.
public struct PluginHost: Sendable {
    private let sink: @Sendable (PluginLogLevel, String) -> Void

    /// A host that sends log messages to `log`; for tests of a plugin type outside the daemon.
    ///
    /// - Parameter log: Receives each message with its level.
    public init(log: @escaping @Sendable (PluginLogLevel, String) -> Void) {
        self.sink = log
    }

    /// A host that drops every log message.
    public static let discarding = PluginHost(log: { _, _ in })

    /// Writes a message to the daemon's log (the journal under systemd), attributed to this plugin.
    ///
    /// - Parameters:
    ///   - level: How important it is.
    ///   - message: One line of text; never a secret.
    public func log(_ level: PluginLogLevel, _ message: String) {
        sink(level, message)
    }
}
