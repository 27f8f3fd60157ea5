import CRMPluginABI
import Foundation
import Synchronization

/// The plugin this library exports: its descriptor, and how to create an instance of it.
///
/// One per library, in a file-private global. File-private globals have local linkage, so each plugin library
/// keeps its own even though every Swift plugin (and the host) carries a copy of CRMPluginKit. That holds as long
/// as the host executable does not export its own CRMPluginKit symbols (it is not linked with `--export-dynamic`):
/// otherwise a plugin's call to `PluginExport.analysis` would bind to the host's copy, and every Swift plugin
/// would share the host's slot.
final class ExportedPlugin: Sendable {
    enum Kind {
        case analysis
        case connector
    }

    /// The descriptor, allocated once and never freed: it lives as long as the library.
    nonisolated(unsafe) let descriptor: UnsafeMutablePointer<crm_plugin_descriptor>
    let name: String
    let create: @Sendable (PluginConfiguration) throws -> any PluginInstance

    private init(
        descriptor: UnsafeMutablePointer<crm_plugin_descriptor>,
        name: String,
        create: @escaping @Sendable (PluginConfiguration) throws -> any PluginInstance
    ) {
        self.descriptor = descriptor
        self.name = name
        self.create = create
    }

    /// The library's descriptor, built on the first call.
    static func descriptor(
        kind: Kind,
        name: String,
        version: String,
        description: String,
        license: String,
        flags: PluginFlags,
        create: @escaping @Sendable (PluginConfiguration) throws -> any PluginInstance
    ) -> UnsafeRawPointer {
        exported.withLock { exported in
            if let exported {
                return UnsafeRawPointer(exported.descriptor)
            }
            let descriptor = UnsafeMutablePointer<crm_plugin_descriptor>.allocate(capacity: 1)
            descriptor.initialize(to: crm_plugin_descriptor())
            descriptor.pointee.magic = CRM_PLUGIN_MAGIC
            descriptor.pointee.abi_major = UInt32(CRM_PLUGIN_ABI_MAJOR)
            descriptor.pointee.abi_minor = UInt32(CRM_PLUGIN_ABI_MINOR)
            descriptor.pointee.struct_size = UInt32(MemoryLayout<crm_plugin_descriptor>.size)
            descriptor.pointee.kind = kind == .analysis ? CRM_PLUGIN_KIND_ANALYSIS : CRM_PLUGIN_KIND_CONNECTOR
            descriptor.pointee.flags = flags.rawValue
            descriptor.pointee.name = UnsafePointer(strdup(name))
            descriptor.pointee.version = UnsafePointer(strdup(version))
            descriptor.pointee.description = UnsafePointer(strdup(description))
            descriptor.pointee.license = UnsafePointer(strdup(license))
            descriptor.pointee.`init` = pluginInit
            descriptor.pointee.call = pluginCall
            descriptor.pointee.free_buffer = pluginFreeBuffer
            descriptor.pointee.shutdown = pluginShutdown
            exported = ExportedPlugin(descriptor: descriptor, name: name, create: create)
            return UnsafeRawPointer(descriptor)
        }
    }
}

private let exported = Mutex<ExportedPlugin?>(nil)

/// What `init` returns as the state: the instance and the host it talks to. Retained until `shutdown`.
private final class PluginState: Sendable {
    let instance: any PluginInstance
    let host: HostTable

    init(instance: any PluginInstance, host: HostTable) {
        self.instance = instance
        self.host = host
    }
}

/// The host's callback table. Valid, and safe to use from any thread, until `shutdown` returns (crm_plugin.h).
private struct HostTable: @unchecked Sendable {
    let table: UnsafePointer<crm_host_api>?

    var pluginHost: PluginHost {
        PluginHost { level, message in log(level, message) }
    }

    func log(_ level: PluginLogLevel, _ message: String) {
        guard let table, let log = table.pointee.log else {
            return
        }
        message.withCString { log(table, level.rawValue, $0) }
    }

    func context(for call: OpaquePointer?) -> PluginCallContext {
        guard let call else {
            return PluginCallContext(host: pluginHost)
        }
        let handle = CallHandle(table: table, call: call)
        return PluginCallContext(
            host: pluginHost,
            isCancelled: { handle.isCancelled },
            reportProgress: { fraction, message in handle.reportProgress(fraction, message) }
        )
    }
}

/// One call's context (`crm_call_context *`): valid until the call returns.
private struct CallHandle: @unchecked Sendable {
    let table: UnsafePointer<crm_host_api>?
    let call: OpaquePointer

    var isCancelled: Bool {
        guard let isCancelled = table?.pointee.is_cancelled else {
            return false
        }
        return isCancelled(call) != 0
    }

    func reportProgress(_ fraction: Double, _ message: String?) {
        guard let report = table?.pointee.report_progress else {
            return
        }
        if let message {
            message.withCString { report(call, fraction, $0) }
        } else {
            report(call, fraction, nil)
        }
    }
}

// MARK: - The descriptor's functions

private func pluginInit(
    _ host: UnsafePointer<crm_host_api>?,
    _ config: UnsafePointer<UInt8>?,
    _ configLength: Int,
    _ state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    _ errorOut: UnsafeMutablePointer<crm_plugin_error>?
) -> Int32 {
    guard let plugin = exported.withLock({ $0 }) else {
        let error = PluginError(code: .failedPrecondition, message: "init was called before crm_plugin_entry")
        return fail(errorOut, with: error)
    }
    if let host, host.pointee.struct_size < crm_host_api_size_for_minor(0) {
        let error = PluginError(
            code: .invalidArgument,
            message: "the host's callback table is \(host.pointee.struct_size) bytes, less than ABI 1.0 requires"
        )
        return fail(errorOut, with: error)
    }
    let table = HostTable(table: host)
    do {
        let message: PluginConfig
        do {
            message = try PluginConfig(serializedBytes: borrowedData(config, configLength))
        } catch {
            throw PluginError(
                code: .invalidArgument,
                message: "the configuration is not a valid crm.plugin.v1.PluginConfig: \(error)",
                cause: error
            )
        }
        let instance = try plugin.create(PluginConfiguration(config: message, host: table.pluginHost))
        state?.pointee = Unmanaged.passRetained(PluginState(instance: instance, host: table)).toOpaque()
        return CRM_STATUS_OK
    } catch {
        return fail(errorOut, with: PluginError(converting: error))
    }
}

private func pluginCall(
    _ state: UnsafeMutableRawPointer?,
    _ method: UnsafePointer<CChar>?,
    _ request: UnsafePointer<UInt8>?,
    _ requestLength: Int,
    _ call: OpaquePointer?,
    _ response: UnsafeMutablePointer<crm_plugin_buffer>?,
    _ errorOut: UnsafeMutablePointer<crm_plugin_error>?
) -> Int32 {
    guard let state else {
        let error = PluginError(code: .failedPrecondition, message: "call without a state: init has not succeeded")
        return fail(errorOut, with: error)
    }
    guard let method, let response else {
        return fail(errorOut, with: PluginError(code: .invalidArgument, message: "method or response is NULL"))
    }
    let plugin = Unmanaged<PluginState>.fromOpaque(state).takeUnretainedValue()
    let context = plugin.host.context(for: call)
    do {
        let bytes = try plugin.instance.call(
            String(cString: method),
            request: borrowedData(request, requestLength),
            context: context
        )
        let (data, count) = bytes.release()
        response.pointee = crm_plugin_buffer(data: data, len: count)
        return CRM_STATUS_OK
    } catch {
        return fail(errorOut, with: PluginError(converting: error))
    }
}

private func pluginFreeBuffer(_ data: UnsafeMutablePointer<UInt8>?, _ length: Int) {
    if let data {
        ResponseBytes.free(UnsafeMutableRawPointer(data))
    }
}

private func pluginShutdown(_ state: UnsafeMutableRawPointer?) {
    if let state {
        Unmanaged<PluginState>.fromOpaque(state).release()
    }
}

/// The host's bytes, without copying; only valid during the call (decoding copies what it keeps).
private func borrowedData(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let bytes, count > 0 else {
        return Data()
    }
    return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes), count: count, deallocator: .none)
}

/// Fills the ABI's error struct and returns the status code.
private func fail(_ errorOut: UnsafeMutablePointer<crm_plugin_error>?, with error: PluginError) -> Int32 {
    if let errorOut {
        let (data, count) = ResponseBytes(text: error.message).release()
        errorOut.pointee = crm_plugin_error(
            code: error.code.rawValue,
            message: crm_plugin_buffer(data: data, len: count)
        )
    }
    return error.code.rawValue
}
