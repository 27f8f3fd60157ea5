public import CRMCore
import CRMPluginABI
import CRMPluginKit
public import CRMProto
public import GRPCCore

/// `crm.v1.PluginService`: the plugins crmd found, and a rescan.
public struct PluginService<ChangeLog: ChangeLogStore>: Crm_V1_PluginService.SimpleServiceProtocol {
    let host: PluginHost
    /// Where reloads are recorded.
    let changeLog: ChangeLog

    public init(host: PluginHost, changeLog: ChangeLog) {
        self.host = host
        self.changeLog = changeLog
    }

    public func listPlugins(
        request: Crm_V1_ListPluginsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListPluginsResponse {
        var response = Crm_V1_ListPluginsResponse()
        response.plugins = host.records.map(Crm_V1_Plugin.init)
        response.pluginDirs = host.configuration.folders.map(\.path)
        return response
    }

    public func getPlugin(request: Crm_V1_GetPluginRequest, context: ServerContext) async throws -> Crm_V1_Plugin {
        Crm_V1_Plugin(try record(request.name))
    }

    public func reloadPlugins(
        request: Crm_V1_ReloadPluginsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ReloadPluginsResponse {
        var response = Crm_V1_ReloadPluginsResponse()
        response.added = try await host.scan(recordingIn: changeLog)
        response.plugins = host.records.map(Crm_V1_Plugin.init)
        return response
    }

    public func describePlugin(
        request: Crm_V1_DescribePluginRequest,
        context: ServerContext
    ) async throws -> Crm_V1_DescribePluginResponse {
        let record = try record(request.name)
        let offers = try await host.call(
            plugin: record.name ?? "",
            method: CRM_METHOD_DESCRIBE,
            request: Crm_Plugin_V1_DescribeRequest(),
            as: Crm_Plugin_V1_DescribeResponse.self
        )
        var response = Crm_V1_DescribePluginResponse()
        response.name = record.resourceName
        response.methods = offers.methods
        response.algorithms = offers.algorithms.map(Crm_V1_PluginAlgorithm.init)
        response.settings = offers.settings.map(\.name)
        return response
    }

    private func record(_ resourceName: String) throws -> PluginRecord {
        guard resourceName.hasPrefix("plugins/"), resourceName.count > "plugins/".count else {
            throw RPCError(code: .invalidArgument, message: "name must be plugins/{name}, not \"\(resourceName)\"")
        }
        guard let record = host.record(named: String(resourceName.dropFirst("plugins/".count))) else {
            throw RPCError(code: .notFound, message: "\(resourceName) not found")
        }
        return record
    }
}

extension Crm_V1_PluginAlgorithm {
    init(_ algorithm: Crm_Plugin_V1_Algorithm) {
        self.init()
        name = algorithm.name
        displayName = algorithm.displayName
        description_p = algorithm.description_p
    }
}

extension Crm_V1_Plugin {
    init(_ record: PluginRecord) {
        self.init()
        name = record.resourceName
        displayName = record.name ?? ""
        version = record.version
        kind =
            switch record.kind {
            case UInt32(CRM_PLUGIN_KIND_ANALYSIS): .analysis
            case UInt32(CRM_PLUGIN_KIND_CONNECTOR): .connector
            default: .unspecified
            }
        abiVersion = record.abiVersion
        path = record.path
        status =
            switch record.status {
            case .ok: .ok
            case .disabled: .disabled
            case .error: .error
            }
        reason = record.reason
        description_p = record.description
        license = record.license
        methods = record.offers.methods
        algorithms = record.offers.algorithms.map(Crm_V1_PluginAlgorithm.init)
        serial = record.serial
    }
}
