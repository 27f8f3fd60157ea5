import CRMPluginABI
import Synchronization

/// One call in progress: the `crm_call_context` a plugin gets, answering `is_cancelled` and
/// receiving `report_progress`.
final class PluginCall: Sendable {
    private let cancelled = Atomic<Bool>(false)
    private let onProgress: (@Sendable (Double, String?) -> Void)?
    /// What the runner does on cancellation besides setting the flag (an isolated call sends a CANCEL frame).
    private let cancelHandler = Mutex<(@Sendable () -> Void)?>(nil)

    init(onProgress: (@Sendable (Double, String?) -> Void)? = nil) {
        self.onProgress = onProgress
    }

    /// The opaque pointer passed as `ctx`; valid while this object lives.
    var context: OpaquePointer {
        OpaquePointer(Unmanaged.passUnretained(self).toOpaque())
    }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    func cancel() {
        guard !cancelled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        cancelHandler.withLock { $0 }?()
    }

    /// Runs `handler` when the call is cancelled, or at once if it already is; replaces the previous handler
    /// (`nil` removes it). A handler may run twice when cancellation races with setting it: make it idempotent.
    func onCancel(_ handler: (@Sendable () -> Void)?) {
        cancelHandler.withLock { $0 = handler }
        if let handler, isCancelled { handler() }
    }

    func report(_ fraction: Double, _ message: String?) {
        onProgress?(fraction, message)
    }

    fileprivate static func from(_ context: OpaquePointer?) -> PluginCall? {
        context.map { Unmanaged<PluginCall>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}

/// The host's callback table for one plugin; `host_data` points at the plugin's ``LoadedPlugin``.
/// Allocated once per loaded plugin and never freed: plugins are never unloaded.
func makeHostTable(for plugin: LoadedPlugin) -> UnsafeMutablePointer<crm_host_api> {
    let table = UnsafeMutablePointer<crm_host_api>.allocate(capacity: 1)
    table.initialize(to: crm_host_api())
    table.pointee.struct_size = UInt32(MemoryLayout<crm_host_api>.size)
    table.pointee.abi_major = UInt32(CRM_PLUGIN_ABI_MAJOR)
    table.pointee.abi_minor = UInt32(CRM_PLUGIN_ABI_MINOR)
    table.pointee.host_data = UnsafeMutableRawPointer(Unmanaged.passUnretained(plugin).toOpaque())
    table.pointee.log = hostLog
    table.pointee.report_progress = hostReportProgress
    table.pointee.is_cancelled = hostIsCancelled
    return table
}

private func hostLog(_ host: UnsafePointer<crm_host_api>?, _ level: Int32, _ message: UnsafePointer<CChar>?) {
    guard let data = host?.pointee.host_data, let message else { return }
    Unmanaged<LoadedPlugin>.fromOpaque(data).takeUnretainedValue().log(level: level, String(cString: message))
}

private func hostReportProgress(_ context: OpaquePointer?, _ fraction: Double, _ message: UnsafePointer<CChar>?) {
    PluginCall.from(context)?.report(fraction, message.map { String(cString: $0) })
}

private func hostIsCancelled(_ context: OpaquePointer?) -> Int32 {
    PluginCall.from(context)?.isCancelled == true ? 1 : 0
}
