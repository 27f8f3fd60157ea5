import CRMPluginKit
import Synchronization
import Testing

@Suite("PluginCallContext")
struct PluginCallContextTests {
    @Test("Progress reports are throttled, except the first and the last")
    func throttled() {
        let reports = Mutex<[Double]>([])
        let context = PluginCallContext(
            minimumProgressInterval: .seconds(60),
            reportProgress: { fraction, _ in reports.withLock { $0.append(fraction) } }
        )
        for step in 0...1000 {
            context.reportProgress(Double(step) / 1000)
        }
        #expect(reports.withLock { $0 } == [0, 1])
    }

    @Test("checkCancellation throws CANCELLED once cancelled")
    func cancellation() throws {
        let cancelled = Atomic<Bool>(false)
        let context = PluginCallContext(isCancelled: { cancelled.load(ordering: .relaxed) })
        try context.checkCancellation()
        cancelled.store(true, ordering: .relaxed)
        #expect(context.isCancelled)
        #expect {
            try context.checkCancellation()
        } throws: { error in
            (error as? PluginError)?.code == .cancelled
        }
    }

    @Test("Log messages go to the host")
    func logging() {
        let logged = Mutex<[String]>([])
        let host = PluginHost { level, message in logged.withLock { $0.append("\(level): \(message)") } }
        PluginCallContext(host: host).log(.warning, "careful")
        #expect(logged.withLock { $0 } == ["warning: careful"])
    }
}
