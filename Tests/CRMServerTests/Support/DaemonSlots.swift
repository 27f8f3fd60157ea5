import Foundation

/// Limits how many daemons the suite runs at once.
///
/// swift-testing runs every test in parallel; on a 2-core machine forty debug
/// daemons starting together would make start-up deadlines meaningless.
/// `CRMD_TEST_PARALLEL` overrides the limit.
actor DaemonSlots {
    static let shared = DaemonSlots(
        limit: ProcessInfo.processInfo.environment["CRMD_TEST_PARALLEL"].flatMap(Int.init)
            ?? max(3, ProcessInfo.processInfo.activeProcessorCount * 2)
    )

    private let limit: Int
    private var used = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func acquire() async {
        if used < limit {
            used += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            used -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs `body` while holding a slot.
    nonisolated func withSlot<R>(_ body: () async throws -> R) async throws -> R {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
