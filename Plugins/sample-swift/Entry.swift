import CRMPluginKit

/// The library's one exported symbol: the descriptor crmd checks before it runs anything else.
@_cdecl("crm_plugin_entry")
public func crmPluginEntry() -> UnsafeRawPointer {
    PluginExport.analysis(
        CentroidPlugin.self,
        name: "nearest-centroid",
        version: "1.0.0",
        description: "Nearest-centroid and majority-class classifiers (a sample plugin in Swift)",
        license: "Apache-2.0"
    )
}
