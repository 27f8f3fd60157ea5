/// How important a log message is: the levels of swift-log, `CRM_LOG_*` in `crm_plugin.h`.
public enum PluginLogLevel: Int32, Sendable, CaseIterable {
    /// Very detailed, off by default.
    case trace = 0
    /// For developers.
    case debug = 1
    /// Normal operation worth recording.
    case info = 2
    /// A noteworthy event.
    case notice = 3
    /// Something looks wrong but work goes on.
    case warning = 4
    /// An operation failed.
    case error = 5
    /// The plugin cannot go on.
    case critical = 6
}
