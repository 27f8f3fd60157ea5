public import CRMCore
import CRMPluginABI
import CRMPluginKit
import CRMPluginWire
import Foundation
import GRPCCore
public import Logging
public import ServiceLifecycle
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
    var plugin: (any PluginRunner)?

    /// `plugins/{name}`, or `plugins/` and the file name when the name is unknown.
    var resourceName: String {
        "plugins/" + (name ?? (path as NSString).lastPathComponent)
    }
}

/// Finds, checks, loads and calls plugins (crm_plugin.h, docs/plugins.md).
///
/// Each `.so` of the configured folders is first opened in a plugin-host process (`crmd-plugin-host`),
/// which checks its descriptor with `crm_plugin_validate_descriptor` before anything else of it runs and
/// reports it. A plugin then runs in such processes (``IsolatedPlugin``, the default), or, when the
/// configuration marks it `trusted`, inside crmd (``LoadedPlugin``); either way `init` and `describe` are
/// called, within ``PluginHostConfiguration/initTimeout`` when isolated. A library that fails any step is
/// kept as an `error` record with the reason; the daemon goes on. Libraries loaded into crmd are never
/// closed.
public final class PluginHost: Sendable {
    private struct State {
        var configuration: PluginHostConfiguration
        var records: [PluginRecord] = []
        var calls: [ObjectIdentifier: PluginCall] = [:]
        /// The scan in progress or last run: each scan waits for the one before it, so that two reloads never
        /// load the same file twice.
        var scan: Task<[String], Never>?
    }

    private let state: Mutex<State>
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

    /// Scans the plugin folders (``scan()``) and records the rescan in the change log under the
    /// current actor: what was added and what is loaded. The API's ReloadPlugins and SIGHUP both
    /// come here.
    @discardableResult
    public func scan(recordingIn changeLog: some ChangeLogStore) async throws -> [String] {
        let added = await scan()
        let loaded = records.filter { $0.status == .ok }.map(\.resourceName)
        _ = try await changeLog.recordEvent(
            resource: "plugins",
            details: [
                "event": "reload", "added": added.joined(separator: ","), "loaded": loaded.joined(separator: ","),
            ]
        )
        return added
    }

    /// Scans the folders and loads every library not seen before; returns the new records.
    @discardableResult
    public func scan() async -> [String] {
        let task: Task<[String], Never> = state.withLock { state in
            let previous = state.scan
            let next = Task {
                _ = await previous?.value
                return await self.scanOnce()
            }
            state.scan = next
            return next
        }
        return await task.value
    }

    private func scanOnce() async -> [String] {
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
                let record = await load(path, configuration: configuration)
                state.withLock { $0.records.append(record) }
                added.append(record.resourceName)
                switch record.status {
                case .ok:
                    logger.notice(
                        "plugin loaded",
                        metadata: [
                            "plugin": "\(record.name ?? "")", "version": "\(record.version)", "path": "\(path)",
                            "isolation": "\(record.plugin?.isIsolated == false ? "trusted (in crmd)" : "process")",
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
        if loadedCount == 0 {
            // Without a plugin, every analysis call fails; say so once per scan, where it is looked for.
            logger.warning(
                "no plugin loaded: analysis (train, predict, report) is unavailable until one is",
                metadata: [
                    "folders": "\(configuration.folders.map(\.path).joined(separator: ":"))",
                    "hint": "build the shipped plugins (scripts/run-daemon.sh does) or pass --plugin-dir",
                ]
            )
        }
        return added
    }

    /// Loads one library; never throws: a refusal is a record with status `error`.
    ///
    /// The descriptor is always checked in a plugin-host process first, so that not even a trusted
    /// plugin's library is mapped into crmd before it proved to be a plugin of this ABI.
    private func load(_ path: String, configuration: PluginHostConfiguration) async -> PluginRecord {
        var record = PluginRecord(path: path, status: .error)
        let executable = configuration.hostExecutable ?? PluginHostConfiguration.locateHostExecutable()
        var workerLogger = logger
        workerLogger[metadataKey: "plugin_path"] = "\(path)"
        let worker: PluginWorker
        switch await PluginWorker.spawn(
            executable: executable,
            library: path,
            memoryLimit: configuration.memoryLimit,
            logger: workerLogger
        ) {
        case .failure(let failure):
            record.reason = "the plugin host \(executable) could not be started: \(failure.message)"
            return record
        case .success(let spawned):
            worker = spawned
        }
        let summary: PluginSummary
        switch await worker.reply(to: nil, within: configuration.initTimeout, what: "loading the library") {
        case .frame(let frame) where frame.kind == .loaded:
            guard let decoded = try? PluginSummary(payload: frame.payload) else {
                worker.kill(.protocolError("malformed LOADED frame"))
                record.reason = "the plugin host sent a malformed LOADED frame"
                return record
            }
            summary = decoded
        case .frame(let frame) where frame.kind == .refused:
            var reader = WireReader(frame.payload)
            record.abiVersion = (try? reader.text()) ?? ""
            record.reason = String(decoding: reader.rest(), as: UTF8.self)
            _ = await worker.waitForEnd()
            return record
        case .frame(let frame):
            worker.kill(.protocolError("a \(frame.kind) frame instead of LOADED"))
            record.reason = "the plugin host answered with a \(frame.kind) frame instead of LOADED"
            return record
        case .ended(let end):
            if case .timeout(let what, let limit) = end.kill {
                record.reason = "\(what) did not finish within \(describeDuration(limit))"
            } else {
                record.reason = "the plugin host ended while loading the library (\(end))"
            }
            return record
        }
        let name = summary.name
        record.name = name
        record.version = summary.version
        record.description = summary.description
        record.license = summary.license
        record.kind = summary.kind
        record.abiVersion = "\(summary.abiMajor).\(summary.abiMinor)"
        record.serial = summary.flags & UInt32(CRM_PLUGIN_FLAG_SERIAL) != 0
        if let other = state.withLock({ $0.records.first { $0.name == name && $0.status != .error } }) {
            _ = await worker.stop(grace: configuration.cancelGrace)
            record.name = nil
            record.reason = "duplicate name \"\(name)\": already loaded from \(other.path)"
            return record
        }
        let settings = configuration.plugins[name] ?? .init()
        guard settings.enabled else {
            _ = await worker.stop(grace: configuration.cancelGrace)
            record.status = .disabled
            record.reason = "disabled in the configuration"
            return record
        }
        let limits = configuration.limits(of: name, serial: record.serial)
        var config = Crm_Plugin_V1_PluginConfig()
        config.settings = settings.settings
        config.hostVersion = CRMDVersion.current
        config.pluginName = name
        // The plugin checks a request's estimated memory against the limit its process runs under.
        config.memoryLimitBytes = settings.trusted ? 0 : limits.memory
        let configBytes: [UInt8] = (try? config.serializedBytes()) ?? []

        let describeBytes: [UInt8]
        if settings.trusted {
            _ = await worker.stop(grace: configuration.cancelGrace)
            let logger = self.logger
            let loaded = await onOwnThread("crmd-plugin-load") {
                LoadedPlugin.load(path, name: name, config: configBytes, logger: logger)
            }
            switch loaded {
            case .failure(let failure):
                record.reason = failure.message
                return record
            case .success(let (plugin, bytes)):
                record.plugin = plugin
                describeBytes = bytes
            }
        } else {
            let launch = IsolatedPlugin.Launch(
                executable: executable,
                library: path,
                config: configBytes,
                memoryLimit: limits.memory,
                cpuLimit: limits.cpu,
                workers: limits.workers,
                initTimeout: configuration.initTimeout,
                cancelGrace: configuration.cancelGrace
            )
            switch await IsolatedPlugin.start(name: name, first: worker, launch: launch, logger: logger) {
            case .failure(let failure):
                record.reason = failure.message
                return record
            case .success(let (plugin, bytes)):
                record.plugin = plugin
                describeBytes = bytes
            }
        }
        guard let offers = try? Crm_Plugin_V1_DescribeResponse(serializedBytes: describeBytes) else {
            _ = await record.plugin?.shutdown()
            record.plugin = nil
            record.reason = "describe returned bytes that are not a crm.plugin.v1.DescribeResponse"
            return record
        }
        record.offers = offers
        record.status = .ok
        return record
    }

    /// Calls `method` of the loaded plugin `name` with raw bytes, in its process (or, for a trusted
    /// plugin, on a thread of its own).
    ///
    /// Cancelling the calling task, or the RPC it serves, makes the plugin's `is_cancelled` return
    /// true (an isolated plugin that does not stop in time is killed). A plugin's error becomes an
    /// `RPCError` with the plugin's code and message; a crash of its process UNAVAILABLE.
    package func callBytes(
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
                await plugin.run(method, request: request, call: call)
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
            if failure.isHostMessage { throw RPCError(code: failure.rpcCode, message: failure.message) }
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

    /// Stops every plugin (the daemon stops): isolated plugins get a STOP and are killed after the grace
    /// period; trusted ones get `shutdown` if no call of theirs is running.
    public func shutdownAll() async {
        let plugins = state.withLock { $0.records.compactMap(\.plugin) }
        await withTaskGroup(of: (String, Bool, Bool).self) { group in
            for plugin in plugins {
                group.addTask { (plugin.name, plugin.isIsolated, await plugin.shutdown()) }
            }
            for await (name, isolated, clean) in group where !clean {
                logger.warning(
                    isolated
                        ? "plugin processes did not stop by themselves; killed"
                        : "plugin still busy at shutdown; not shut down",
                    metadata: ["plugin": "\(name)"]
                )
            }
        }
    }
}

extension PluginHost: Service {
    /// Until graceful shutdown; then stops every plugin (``shutdownAll()``). The daemon cancels the
    /// calls in flight (``cancelAllCalls()``) before it drains, so that none waits on a plugin.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdownAll()
    }
}
