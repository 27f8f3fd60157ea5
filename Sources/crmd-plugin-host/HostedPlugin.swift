import CRMPluginABI
import CRMPluginWire
import Glibc

/// The plugin's life in this process: `init` with the limits crmd sends, then calls, then `shutdown`. Runs on
/// the main thread only (crm_plugin.h: init and shutdown never overlap with a call).
struct HostedPlugin {
    let library: HostedLibrary
    private var state: UnsafeMutableRawPointer?
    private var initialised = false
    private var cpuSecondsPerCall: UInt64?
    /// Lives as long as the process: the plugin keeps the pointer.
    private let table: UnsafeMutablePointer<crm_host_api>

    init(library: HostedLibrary) {
        self.library = library
        table = .allocate(capacity: 1)
        table.initialize(to: crm_host_api())
        table.pointee.struct_size = UInt32(MemoryLayout<crm_host_api>.size)
        table.pointee.abi_major = UInt32(CRM_PLUGIN_ABI_MAJOR)
        table.pointee.abi_minor = UInt32(CRM_PLUGIN_ABI_MINOR)
        table.pointee.log = hostLog
        table.pointee.report_progress = hostReportProgress
        table.pointee.is_cancelled = hostIsCancelled
    }

    /// INIT: applies the limits, then calls `init`; answers INIT_DONE.
    mutating func initialise(_ payload: [UInt8]) -> PluginFrame {
        var reader = WireReader(payload)
        guard let memory = try? reader.uint64(), let cpu = try? reader.uint64(), !initialised else {
            return answer(.initialised, callID: 0, status: CRM_STATUS_INTERNAL, bytes: Array("bad INIT frame".utf8))
        }
        let config = reader.rest()
        // Hard, so that the plugin cannot lift it. No limit lifts the one set for loading.
        HostConfinement.setMemoryLimit(memory > 0 ? memory : nil, hard: memory > 0)
        cpuSecondsPerCall = cpu > 0 ? cpu : nil
        var newState: UnsafeMutableRawPointer? = nil
        var error = crm_plugin_error()
        let status = config.withUnsafeBufferPointer { config in
            library.descriptor.pointee.`init`!(
                UnsafePointer(table),
                config.count == 0 ? nil : config.baseAddress,
                config.count,
                &newState,
                &error
            )
        }
        let message = library.take(error.message)
        if status == CRM_STATUS_OK {
            state = newState
            initialised = true
        }
        return answer(.initialised, callID: 0, status: status, bytes: status == CRM_STATUS_OK ? [] : message)
    }

    /// CALL: runs the method with the CPU limit of one call; answers RESULT with the same call id.
    func call(_ frame: PluginFrame) -> PluginFrame {
        var reader = WireReader(frame.payload)
        guard let method = try? reader.text(), initialised else {
            return answer(.result, callID: frame.callID, status: CRM_STATUS_INTERNAL, bytes: Array("bad CALL".utf8))
        }
        let request = reader.rest()
        var response = crm_plugin_buffer()
        var error = crm_plugin_error()
        HostConfinement.setCPULimit(perCall: cpuSecondsPerCall)
        let status = request.withUnsafeBufferPointer { request in
            library.descriptor.pointee.call!(
                state,
                method,
                request.count == 0 ? nil : request.baseAddress,
                request.count,
                OpaquePointer(bitPattern: UInt(frame.callID)),
                &response,
                &error
            )
        }
        if cpuSecondsPerCall != nil { HostConfinement.setCPULimit(perCall: nil) }
        let message = library.take(error.message)
        let bytes = library.take(response)
        return answer(.result, callID: frame.callID, status: status, bytes: status == CRM_STATUS_OK ? bytes : message)
    }

    /// STOP: `shutdown` when `init` succeeded.
    mutating func shutdown() {
        guard initialised else { return }
        initialised = false
        library.descriptor.pointee.shutdown!(state)
    }

    private func answer(_ kind: PluginFrame.Kind, callID: UInt64, status: Int32, bytes: [UInt8]) -> PluginFrame {
        var writer = WireWriter(capacity: 4 + bytes.count)
        writer.append(status)
        writer.append(bytes)
        return PluginFrame(kind, callID: callID, payload: writer.bytes)
    }
}

// The host table's callbacks. `ctx` is the call id itself (never 0 for a call), so that no per-call object
// has to outlive a plugin thread that misuses it.

private func hostLog(_ host: UnsafePointer<crm_host_api>?, _ level: Int32, _ message: UnsafePointer<CChar>?) {
    guard let message, let session = HostSession.current else { return }
    var writer = WireWriter()
    writer.append(level)
    writer.append(
        UnsafeBufferPointer(
            start: UnsafeRawPointer(message).assumingMemoryBound(to: UInt8.self),
            count: strlen(message)
        )
    )
    session.send(PluginFrame(.log, payload: writer.bytes))
}

private func hostReportProgress(_ context: OpaquePointer?, _ fraction: Double, _ message: UnsafePointer<CChar>?) {
    guard let context, let session = HostSession.current else { return }
    var writer = WireWriter()
    writer.append(fraction.bitPattern)
    if let message {
        writer.append(UInt8(1))
        writer.append(
            UnsafeBufferPointer(
                start: UnsafeRawPointer(message).assumingMemoryBound(to: UInt8.self),
                count: strlen(message)
            )
        )
    } else {
        writer.append(UInt8(0))
    }
    session.send(PluginFrame(.progress, callID: UInt64(UInt(bitPattern: context)), payload: writer.bytes))
}

private func hostIsCancelled(_ context: OpaquePointer?) -> Int32 {
    guard let context, let session = HostSession.current else { return 0 }
    return session.isCancelled(UInt64(UInt(bitPattern: context))) ? 1 : 0
}
