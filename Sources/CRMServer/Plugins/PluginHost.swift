import CRMCore
import CRMPluginABI
import CRMPluginKit
import Foundation
import GRPCCore
public import Logging
import SwiftProtobuf
import Synchronization

/// What became of one plugin library.
struct PluginRecord: Sendable {
    enum Status: Sendable, Equatable {
        case ok, disabled, error
    }

    var path: String
    /// The descriptor's name; `nil` when the library was refused before it could be trusted.
    var name: String?
    var version = ""
    var description = ""
    var license = ""
    /// CRM_PLUGIN_KIND_*; 0 when unknown.
    var kind: UInt32 = 0
    /// `major.minor` of the descriptor, when its header could be read.
    var abiVersion = ""
    var status: Status
    var reason = ""
    var serial = false
    var offers = Crm_Plugin_V1_DescribeResponse()
    var plugin: LoadedPlugin?

    /// `plugins/{name}`, or `plugins/` and the file name when the name is unknown.
    var resourceName: String {
        "plugins/" + (name ?? (path as NSString).lastPathComponent)
    }
}

/// Finds, checks, loads and calls plugins (crm_plugin.h, docs/plugins.md).
///
/// Each `.so` of the configured folders is opened with `dlopen(RTLD_NOW | RTLD_LOCAL)`, its entry
/// symbol's descriptor checked by `crm_plugin_validate_descriptor` before anything else of it
/// runs, then `init` and `describe` are called. A library that fails any step is kept as an
/// `error` record with the reason; the daemon goes on. Libraries are never closed. Every call into
/// plugin code runs on a thread of its own.
public final class PluginHost: Sendable {
    private struct State {
        var configuration: PluginHostConfiguration
        var records: [PluginRecord] = []
        var calls: [ObjectIdentifier: PluginCall] = [:]
    }

    private let state: Mutex<State>
    /// Held for a whole scan, so that two reloads never load the same file twice.
    private let scanning = Mutex<Void>(())
    private let logger: Logger

    public init(configuration: PluginHostConfiguration, logger: Logger) {
        self.state = Mutex(State(configuration: configuration))
        var logger = logger
        logger[metadataKey: "component"] = "plugins"
        self.logger = logger
    }

    /// Replaces the configuration used by the next scan (folders, and settings of plugins not yet
    /// loaded). Loaded plugins keep theirs until crmd restarts.
    public func update(configuration: PluginHostConfiguration) {
        state.withLock { $0.configuration = configuration }
    }

    var configuration: PluginHostConfiguration { state.withLock { $0.configuration } }

    /// Every library found so far, in scan order.
    var records: [PluginRecord] { state.withLock { $0.records } }

    /// The number of plugins loaded and initialised.
    public var loadedCount: Int { state.withLock { $0.records.count { $0.status == .ok } } }

    func record(named name: String) -> PluginRecord? {
        state.withLock { $0.records.first { $0.name == name && $0.status != .error } }
            ?? state.withLock { $0.records.first { $0.resourceName == "plugins/" + name } }
    }

    /// Scans the folders and loads every library not seen before; returns the new records.
    @discardableResult
    public func scan() async -> [String] {
        await onOwnThread("crmd-plugin-scan") { self.scanBlocking() }
    }

    private func scanBlocking() -> [String] {
        scanning.withLock { _ in
            let configuration = self.configuration
            var added: [String] = []
            var seenFolders = Set<String>()
            for folder in configuration.folders {
                let folderPath = (folder.path as NSString).standardizingPath
                guard seenFolders.insert(folderPath).inserted else { continue }
                let files: [String]
                do {
                    files = try FileManager.default.contentsOfDirectory(atPath: folderPath)
                } catch {
                    logger.debug("plugin folder not readable; skipped", metadata: ["folder": "\(folderPath)"])
                    continue
                }
                for file in files.sorted() where file.hasSuffix(".so") {
                    if folder.shippedPluginsOnly && !file.hasPrefix("libcrmplugin-") { continue }
                    let path = (folderPath as NSString).appendingPathComponent(file)
                    if state.withLock({ $0.records.contains { $0.path == path } }) { continue }
                    let record = load(path, configuration: configuration)
                    state.withLock { $0.records.append(record) }
                    added.append(record.resourceName)
                    switch record.status {
                    case .ok:
                        logger.notice(
                            "plugin loaded",
                            metadata: [
                                "plugin": "\(record.name ?? "")", "version": "\(record.version)", "path": "\(path)",
                            ]
                        )
                    case .disabled:
                        logger.notice(
                            "plugin disabled by configuration",
                            metadata: ["plugin": "\(record.name ?? "")", "path": "\(path)"]
                        )
                    case .error:
                        logger.error(
                            "plugin refused",
                            metadata: ["path": "\(path)", "reason": "\(record.reason)"]
                        )
                    }
                }
            }
            return added
        }
    }

    /// Loads one library; never throws: a refusal is a record with status `error`.
    private func load(_ path: String, configuration: PluginHostConfiguration) -> PluginRecord {
        var record = PluginRecord(path: path, status: .error)
        dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown error"
            record.reason = "not a loadable shared object: \(detail)"
            return record
        }
        // Never dlclose: a refused library stays mapped too (a Swift library cannot be unloaded
        // safely, and it costs little).
        guard let symbol = dlsym(handle, CRM_PLUGIN_ENTRY_SYMBOL) else {
            record.reason = "missing entry symbol \(CRM_PLUGIN_ENTRY_SYMBOL): not a crmd plugin"
            return record
        }
        let entry = unsafeBitCast(symbol, to: crm_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            record.reason = "the entry function returned NULL"
            return record
        }
        // The first four fields keep their offsets in every major version.
        if descriptor.pointee.magic == CRM_PLUGIN_MAGIC {
            record.abiVersion = "\(descriptor.pointee.abi_major).\(descriptor.pointee.abi_minor)"
        }
        var reason = [CChar](repeating: 0, count: 512)
        guard crm_plugin_validate_descriptor(descriptor, &reason, reason.count) == 1 else {
            record.reason = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return record
        }
        let d = descriptor.pointee
        let name = String(cString: d.name)
        record.name = name
        record.version = String(cString: d.version)
        record.description = String(cString: d.description)
        record.license = String(cString: d.license)
        record.kind = d.kind
        record.serial = d.flags & UInt32(CRM_PLUGIN_FLAG_SERIAL) != 0
        if let other = state.withLock({ $0.records.first { $0.name == name && $0.status != .error } }) {
            record.name = nil
            record.reason = "duplicate name \"\(name)\": already loaded from \(other.path)"
            return record
        }
        let settings = configuration.plugins[name] ?? .init()
        guard settings.enabled else {
            record.status = .disabled
            record.reason = "disabled in the configuration"
            return record
        }
        let plugin = LoadedPlugin(name: name, path: path, descriptor: descriptor, logger: logger)
        var config = Crm_Plugin_V1_PluginConfig()
        config.settings = settings.settings
        config.hostVersion = CRMDVersion.current
        config.pluginName = name
        let configBytes: [UInt8] = (try? config.serializedBytes()) ?? []
        if let failure = plugin.initialise(config: configBytes) {
            record.reason = "init failed (\(failure.rpcCode)): \(failure.message)"
            return record
        }
        switch plugin.invoke(CRM_METHOD_DESCRIBE, request: [], call: PluginCall()) {
        case .success(let bytes):
            guard let offers = try? Crm_Plugin_V1_DescribeResponse(serializedBytes: bytes) else {
                plugin.shutdown()
                record.reason = "describe returned bytes that are not a crm.plugin.v1.DescribeResponse"
                return record
            }
            record.offers = offers
        case .failure(let failure):
            plugin.shutdown()
            record.reason = "describe failed (\(failure.rpcCode)): \(failure.message)"
            return record
        }
        record.plugin = plugin
        record.status = .ok
        return record
    }

    /// Calls `method` of the loaded plugin `name` with raw bytes, on a thread of its own.
    ///
    /// Cancelling the calling task, or the RPC it serves, makes the plugin's `is_cancelled` return
    /// true. A plugin's
    /// error becomes an `RPCError` with the plugin's code and message.
    func callBytes(
        plugin name: String,
        method: String,
        request: [UInt8],
        progress: (@Sendable (Double, String?) -> Void)? = nil
    ) async throws -> [UInt8] {
        guard let record = record(named: name), record.name == name else {
            throw RPCError(code: .notFound, message: "no plugin named \"\(name)\"")
        }
        guard record.status == .ok, let plugin = record.plugin else {
            throw RPCError(
                code: .failedPrecondition,
                message: "plugin \"\(name)\" is not loaded: \(record.reason)"
            )
        }
        let call = PluginCall(onProgress: progress)
        let key = ObjectIdentifier(call)
        state.withLock { $0.calls[key] = call }
        defer { _ = state.withLock { $0.calls.removeValue(forKey: key) } }
        // Cancelled when the calling task is, or when gRPC cancels the RPC this call serves (the
        // client went away or cancelled, its deadline passed, the server is stopping).
        let result = await withRPCCancellationHandler {
            await withTaskCancellationHandler {
                await onOwnThread("crmd-plugin-\(name)") { plugin.invoke(method, request: request, call: call) }
            } onCancel: {
                call.cancel()
            }
        } onCancelRPC: {
            call.cancel()
        }
        switch result {
        case .success(let bytes):
            return bytes
        case .failure(let failure):
            logger.info(
                "plugin call failed",
                metadata: [
                    "plugin": "\(name)", "method": "\(method)", "code": "\(failure.rpcCode)",
                    "error": "\(failure.message)",
                ]
            )
            throw RPCError(code: failure.rpcCode, message: "plugin \(name): \(method): \(failure.message)")
        }
    }

    /// Calls `method` with an encoded `request` and decodes the response as `Response`; bytes that
    /// do not decode are INTERNAL for this call only.
    func call<Response: SwiftProtobuf.Message>(
        plugin name: String,
        method: String,
        request: some SwiftProtobuf.Message,
        as type: Response.Type = Response.self,
        progress: (@Sendable (Double, String?) -> Void)? = nil
    ) async throws -> Response {
        let bytes = try await callBytes(
            plugin: name,
            method: method,
            request: try request.serializedBytes(),
            progress: progress
        )
        do {
            return try Response(serializedBytes: bytes)
        } catch {
            logger.error(
                "plugin returned an undecodable response",
                metadata: [
                    "plugin": "\(name)", "method": "\(method)", "bytes": "\(bytes.count)",
                    "expected": "\(Response.protoMessageName)",
                ]
            )
            throw RPCError(
                code: .internalError,
                message: "plugin \(name): \(method) returned bytes that are not a \(Response.protoMessageName)"
            )
        }
    }

    /// Marks every running call cancelled (the daemon is stopping).
    public func cancelAllCalls() {
        for call in state.withLock({ Array($0.calls.values) }) { call.cancel() }
    }

    /// Calls `shutdown` of every initialised plugin with no call running (the daemon stops).
    public func shutdownAll() async {
        let plugins = state.withLock { $0.records.compactMap(\.plugin) }
        await onOwnThread("crmd-plugin-shutdown") {
            for plugin in plugins where !plugin.shutdown() {
                self.logger.warning(
                    "plugin still busy at shutdown; not shut down",
                    metadata: ["plugin": "\(plugin.name)"]
                )
            }
        }
    }
}
