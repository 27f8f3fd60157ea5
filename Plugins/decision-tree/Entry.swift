import CRMPluginKit

/// The library's one exported symbol: the descriptor crmd checks before it runs anything else.
@_cdecl("crm_plugin_entry")
public func crmPluginEntry() -> UnsafeRawPointer {
    PluginExport.analysis(
        DecisionTreePlugin.self,
        name: "decision-tree",
        version: "1.0.0",
        description: "CART decision tree classifier (gini, entropy), as scikit-learn's DecisionTreeClassifier",
        license: "Apache-2.0"
    )
}
