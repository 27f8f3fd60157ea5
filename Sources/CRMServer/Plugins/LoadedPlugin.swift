import CRMPluginABI
import Foundation
import GRPCCore
import Logging
import Synchronization

/// A plugin library loaded into crmd itself (`trusted: true` in the configuration): its descriptor, its
/// host table and, once `init` succeeded, its state. Never unloaded. A crash of the plugin is a crash of crmd;
/// ``IsolatedPlugin`` is the default.
final class LoadedPlugin: PluginRunner {
    let name: String
    let path: String
    nonisolated(unsafe) let descriptor: UnsafePointer<crm_plugin_descriptor>
    let logger: Logger
    /// Held around each call of a plugin with CRM_PLUGIN_FLAG_SERIAL.
    private let serialLock = Mutex<Void>(())
    let isSerial: Bool
    /// The state `init` returned; set once before any call.
    private let state = Mutex<State>(State())

    /// The state pointer is the plugin's; the host only hands it back.
    private struct State: @unchecked Sendable {
        var pointer: UnsafeMutableRawPointer?
        var initialised = false
        var running = 0
    }

    init(name: String, path: String, descriptor: UnsafePointer<crm_plugin_descriptor>, logger: Logger) {
        self.name = name
        self.path = path
        self.descriptor = descriptor
        var logger = logger
        logger[metadataKey: "plugin"] = "\(name)"
        self.logger = logger
        self.isSerial = descriptor.pointee.flags & UInt32(CRM_PLUGIN_FLAG_SERIAL) != 0
    }

    var isIsolated: Bool { false }

    /// Opens the library in crmd, checks its descriptor again (a plugin-host process already did, but the
    /// file may have changed since), runs `init` and `describe` (blocking: on a thread of its own). Returns the
    /// plugin and the describe bytes, or the refusal as a complete message.
    static func load(
        _ path: String,
        name: String,
        config: [UInt8],
        logger: Logger
    ) -> Result<(LoadedPlugin, [UInt8]), PluginFailure> {
        func refused(_ reason: String) -> Result<(LoadedPlugin, [UInt8]), PluginFailure> {
            .failure(PluginFailure(.unavailable, hostMessage: reason))
        }
        dlerror()
        // Never dlclose: a Swift library cannot be unloaded safely.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            return refused("not a loadable shared object: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
        }
        guard let symbol = dlsym(handle, CRM_PLUGIN_ENTRY_SYMBOL) else {
            return refused("missing entry symbol \(CRM_PLUGIN_ENTRY_SYMBOL): not a crmd plugin")
        }
        guard let descriptor = unsafeBitCast(symbol, to: crm_plugin_entry_fn.self)() else {
            return refused("the entry function returned NULL")
        }
        var reason = [CChar](repeating: 0, count: 512)
        guard crm_plugin_validate_descriptor(descriptor, &reason, reason.count) == 1 else {
            return refused(String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        guard String(cString: descriptor.pointee.name) == name else {
            return refused("the library no longer declares \(name)")
        }
        let plugin = LoadedPlugin(name: name, path: path, descriptor: descriptor, logger: logger)
        if let failure = plugin.initialise(config: config) {
            return refused("init failed (\(failure.rpcCode)): \(failure.message)")
        }
        switch plugin.invoke(CRM_METHOD_DESCRIBE, request: [], call: PluginCall()) {
        case .success(let bytes):
            return .success((plugin, bytes))
        case .failure(let failure):
            plugin.shutdownNow()
            return refused("describe failed (\(failure.rpcCode)): \(failure.message)")
        }
    }

    /// Calls `init` (blocking; on a thread of the caller's). The host table lives forever.
    func initialise(config: [UInt8]) -> PluginFailure? {
        let table = makeHostTable(for: self)
        var newState: UnsafeMutableRawPointer? = nil
        var error = crm_plugin_error()
        let status = config.withUnsafeBufferPointer { config in
            descriptor.pointee.`init`!(
                UnsafePointer(table),
                config.count == 0 ? nil : config.baseAddress,
                config.count,
                &newState,
                &error
            )
        }
        let message = takeText(error.message)
        guard status == CRM_STATUS_OK else {
            return PluginFailure(status: status, message: message)
        }
        state.withLock {
            $0.pointer = newState
            $0.initialised = true
        }
        return nil
    }

    /// Runs `method` (blocking: call it on a thread of its own) and returns the response bytes,
    /// freeing every buffer the plugin handed out.
    func invoke(_ method: String, request: [UInt8], call: PluginCall) -> Result<[UInt8], PluginFailure> {
        let pointer: UnsafeMutableRawPointer? = state.withLock {
            $0.running += 1
            return $0.pointer
        }
        defer { state.withLock { $0.running -= 1 } }
        if isSerial {
            return serialLock.withLock { _ in invokeUnlocked(method, request: request, call: call, state: pointer) }
        }
        return invokeUnlocked(method, request: request, call: call, state: pointer)
    }

    private func invokeUnlocked(
        _ method: String,
        request: [UInt8],
        call: PluginCall,
        state: UnsafeMutableRawPointer?
    ) -> Result<[UInt8], PluginFailure> {
        var response = crm_plugin_buffer()
        var error = crm_plugin_error()
        let status = request.withUnsafeBufferPointer { request in
            descriptor.pointee.call!(
                state,
                method,
                request.count == 0 ? nil : request.baseAddress,
                request.count,
                call.context,
                &response,
                &error
            )
        }
        let message = takeText(error.message)
        let bytes = takeBytes(response)
        guard status == CRM_STATUS_OK else {
            return .failure(PluginFailure(status: status, message: message))
        }
        return .success(bytes)
    }

    func run(_ method: String, request: [UInt8], call: PluginCall) async -> Result<[UInt8], PluginFailure> {
        await onOwnThread("crmd-plugin-\(name)") { self.invoke(method, request: request, call: call) }
    }

    func shutdown() async -> Bool {
        await onOwnThread("crmd-plugin-shutdown") { self.shutdownNow() }
    }

    /// Calls `shutdown` when `init` succeeded and no call is running; returns whether it did.
    @discardableResult
    func shutdownNow() -> Bool {
        let pointer: UnsafeMutableRawPointer?? = state.withLock {
            guard $0.initialised, $0.running == 0 else { return nil }
            $0.initialised = false
            return .some($0.pointer)
        }
        guard let pointer else { return false }
        descriptor.pointee.shutdown!(pointer)
        return true
    }

    /// The bytes of a buffer the plugin handed out; gives the buffer back to `free_buffer`.
    private func takeBytes(_ buffer: crm_plugin_buffer) -> [UInt8] {
        guard let data = buffer.data else { return [] }
        defer { descriptor.pointee.free_buffer!(data, buffer.len) }
        return Array(UnsafeBufferPointer(start: data, count: buffer.len))
    }

    private func takeText(_ buffer: crm_plugin_buffer) -> String {
        String(decoding: takeBytes(buffer), as: UTF8.self)
    }

    /// The `log` callback.
    func log(level: Int32, _ message: String) {
        let level: Logger.Level =
            switch level {
            case ...CRM_LOG_TRACE: .trace
            case CRM_LOG_DEBUG: .debug
            case CRM_LOG_INFO: .info
            case CRM_LOG_NOTICE: .notice
            case CRM_LOG_WARNING: .warning
            case CRM_LOG_ERROR: .error
            default: .critical
            }
        logger.log(level: level, "\(message)")
    }
}

/// Runs `body` on a new thread of its own (plugin code may block for minutes: never on Swift's
/// cooperative pool) and returns its result.
func onOwnThread<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }
}
