import CRMPluginABI
import Synchronization

/// The host side of the ABI for tests: a `crm_host_api` whose callbacks record what plugins report.
package final class TestHost: Sendable {
    /// The callback table handed to `init`; lives as long as this object.
    nonisolated(unsafe) let table: UnsafeMutablePointer<crm_host_api>
    private let messages = Mutex<[(level: Int32, message: String)]>([])

    package init() {
        table = .allocate(capacity: 1)
        table.initialize(to: crm_host_api())
        table.pointee.struct_size = UInt32(MemoryLayout<crm_host_api>.size)
        table.pointee.abi_major = UInt32(CRM_PLUGIN_ABI_MAJOR)
        table.pointee.abi_minor = UInt32(CRM_PLUGIN_ABI_MINOR)
        table.pointee.log = testLog
        table.pointee.report_progress = testReportProgress
        table.pointee.is_cancelled = testIsCancelled
        table.pointee.host_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        table.deallocate()
    }

    /// Every message logged so far.
    package var logged: [(level: Int32, message: String)] {
        messages.withLock { $0 }
    }

    fileprivate func record(_ level: Int32, _ message: String) {
        messages.withLock { $0.append((level, message)) }
    }
}

/// One call's `crm_call_context`: records progress, and can be cancelled.
package final class TestCall: Sendable {
    private let reports = Mutex<[(fraction: Double, message: String?)]>([])
    private let cancelled = Atomic<Bool>(false)

    package init(cancelled: Bool = false) {
        self.cancelled.store(cancelled, ordering: .relaxed)
    }

    /// The opaque pointer passed as `ctx`; valid while this object lives.
    package var context: OpaquePointer {
        OpaquePointer(Unmanaged.passUnretained(self).toOpaque())
    }

    /// Progress reported so far.
    package var progress: [(fraction: Double, message: String?)] {
        reports.withLock { $0 }
    }

    package func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    fileprivate var isCancelled: Bool {
        cancelled.load(ordering: .relaxed)
    }

    fileprivate func report(_ fraction: Double, _ message: String?) {
        reports.withLock { $0.append((fraction, message)) }
    }

    fileprivate static func from(_ context: OpaquePointer?) -> TestCall? {
        context.map { Unmanaged<TestCall>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    }
}

private func testLog(_ host: UnsafePointer<crm_host_api>?, _ level: Int32, _ message: UnsafePointer<CChar>?) {
    guard let data = host?.pointee.host_data, let message else {
        return
    }
    Unmanaged<TestHost>.fromOpaque(data).takeUnretainedValue().record(level, String(cString: message))
}

private func testReportProgress(_ context: OpaquePointer?, _ fraction: Double, _ message: UnsafePointer<CChar>?) {
    TestCall.from(context)?.report(fraction, message.map { String(cString: $0) })
}

private func testIsCancelled(_ context: OpaquePointer?) -> Int32 {
    TestCall.from(context)?.isCancelled == true ? 1 : 0
}
