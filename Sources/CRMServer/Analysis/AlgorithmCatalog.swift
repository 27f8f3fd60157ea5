import CRMCore
import CRMPluginABI
import CRMPluginKit
import CRMProto
import GRPCCore

/// The algorithms the loaded analysis plugins offer, from what each answered to `describe` when
/// it was loaded.
struct AlgorithmCatalog {
    struct Entry {
        /// The plugin's name (`plugins/{name}` without the prefix).
        var plugin: String
        var pluginVersion: String
        var algorithm: Crm_Plugin_V1_Algorithm
    }

    let entries: [Entry]

    init(host: PluginHost) {
        var entries: [Entry] = []
        var seen = Set<String>()
        for record in host.records where record.status == .ok && record.kind == UInt32(CRM_PLUGIN_KIND_ANALYSIS) {
            guard let name = record.name else { continue }
            for algorithm in record.offers.algorithms where seen.insert(algorithm.name).inserted {
                entries.append(Entry(plugin: name, pluginVersion: record.version, algorithm: algorithm))
            }
        }
        self.entries = entries
    }

    /// The entry for `name`; INVALID_ARGUMENT naming the field when no loaded plugin offers it.
    func entry(named name: String, field: String = "algorithm") throws -> Entry {
        if let entry = entries.first(where: { $0.algorithm.name == name }) {
            return entry
        }
        let known = entries.map(\.algorithm.name).sorted().joined(separator: ", ")
        throw CRMError.invalid(
            field,
            "no loaded analysis plugin offers \"\(name)\" (offered: \(known.isEmpty ? "none" : known))"
        )
    }
}

extension Crm_V1_Algorithm {
    init(_ entry: AlgorithmCatalog.Entry) {
        self.init()
        let algorithm = entry.algorithm
        name = algorithm.name
        displayName = algorithm.displayName
        description_p = algorithm.description_p
        plugin = "plugins/" + entry.plugin
        pluginVersion = entry.pluginVersion
        sklearnEquivalent = algorithm.sklearnEquivalent
        supportsFeatureImportances = algorithm.supportsFeatureImportances
        supportsProbabilities = algorithm.supportsProbabilities
        parameters = algorithm.parameters.map { parameter in
            var out = Crm_V1_AlgorithmParameter()
            out.name = parameter.name
            out.type = Self.typeName(parameter.type)
            out.defaultValue = parameter.defaultValue
            out.description_p = parameter.description_p
            out.allowedValues = parameter.allowedValues
            return out
        }
    }

    static func typeName(_ type: Crm_Plugin_V1_ParameterType) -> String {
        switch type {
        case .string: "string"
        case .int: "int"
        case .double: "double"
        case .bool: "bool"
        case .intList: "int list"
        case .doubleList: "double list"
        case .doubleMap: "double map"
        default: ""
        }
    }
}
