/// Descriptor flags, `CRM_PLUGIN_FLAG_*` in `crm_plugin.h`.
public struct PluginFlags: OptionSet, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The plugin's methods must not run concurrently: the host runs one call at a time. Without it, the host
    /// may call the one plugin instance from several threads at once.
    public static let serial = PluginFlags(rawValue: 0x1)
}
