import CRMPluginKit

/// The library's one exported symbol: the descriptor crmd checks before it runs anything else.
@_cdecl("crm_plugin_entry")
public func crmPluginEntry() -> UnsafeRawPointer {
    PluginExport.analysis(
        NeuralNetworkPlugin.self,
        name: "neural-network",
        version: "1.0.0",
        description: "Multilayer perceptron classifier (ReLU, softmax, Adam, early stopping), as scikit-learn's "
            + "MLPClassifier",
        license: "Apache-2.0"
    )
}
