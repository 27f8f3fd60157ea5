/// Builds the descriptor a plugin library's entry symbol returns.
///
/// A Swift plugin library exports exactly one function, named `crm_plugin_entry`, that calls one of these:
///
/// ```swift
/// @_cdecl("crm_plugin_entry")
/// public func crmPluginEntry() -> UnsafeRawPointer {
///     PluginExport.analysis(
///         NearestCentroid.self, name: "nearest-centroid", version: "1.0.0",
///         description: "Nearest-centroid and majority-class classifiers", license: "Apache-2.0"
///     )
/// }
/// ```
///
/// The descriptor (a `crm_plugin_descriptor`, see `crm_plugin.h`) is built once and lives as long as the
/// library; calling the entry function again returns the same pointer. Its functions are C thunks that decode
/// each request with SwiftProtobuf, call your type, encode the response into a buffer the host frees through
/// the descriptor's `free_buffer`, and turn thrown errors into the ABI's error struct — so a Swift plugin never
/// handles the C ABI itself.
///
/// One library exports one plugin: the first call decides which.
public enum PluginExport {
    /// The descriptor of an analysis plugin.
    ///
    /// - Parameters:
    ///   - type: The plugin type; the host creates one instance with ``AnalysisPlugin/init(configuration:)``.
    ///   - name: Unique among plugins: 1–63 of `a-z`, `0-9` and `-`, e.g. `decision-tree`.
    ///   - version: The plugin's version, e.g. `1.0.0`.
    ///   - description: One line for people.
    ///   - license: An SPDX license expression, e.g. `Apache-2.0`.
    ///   - flags: ``PluginFlags/serial`` if calls must not run concurrently.
    /// - Returns: The address of the descriptor, for the entry function to return.
    public static func analysis<Plugin: AnalysisPlugin>(
        _ type: Plugin.Type,
        name: String,
        version: String,
        description: String,
        license: String,
        flags: PluginFlags = []
    ) -> UnsafeRawPointer {
        ExportedPlugin.descriptor(
            kind: .analysis,
            name: name,
            version: version,
            description: description,
            license: license,
            flags: flags
        ) { configuration in
            AnalysisInstance(plugin: try Plugin(configuration: configuration), name: name)
        }
    }

    /// The descriptor of a connector plugin.
    ///
    /// - Parameters:
    ///   - type: The plugin type; the host creates one instance with ``ConnectorPlugin/init(configuration:)``.
    ///   - name: Unique among plugins: 1–63 of `a-z`, `0-9` and `-`, e.g. `odoo`.
    ///   - version: The plugin's version, e.g. `1.0.0`.
    ///   - description: One line for people.
    ///   - license: An SPDX license expression, e.g. `Apache-2.0`.
    ///   - flags: ``PluginFlags/serial`` if calls must not run concurrently.
    /// - Returns: The address of the descriptor, for the entry function to return.
    public static func connector<Plugin: ConnectorPlugin>(
        _ type: Plugin.Type,
        name: String,
        version: String,
        description: String,
        license: String,
        flags: PluginFlags = []
    ) -> UnsafeRawPointer {
        ExportedPlugin.descriptor(
            kind: .connector,
            name: name,
            version: version,
            description: description,
            license: license,
            flags: flags
        ) { configuration in
            ConnectorInstance(plugin: try Plugin(configuration: configuration), name: name)
        }
    }
}
