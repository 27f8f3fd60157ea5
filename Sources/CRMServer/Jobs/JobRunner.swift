public import Foundation
import GRPCCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Runs long work — trainings today; syncs, backups and duplicate scans next — as jobs: an id, a
/// state, progress, cancellation, and a bounded history of finished jobs. Independent of the API's
/// types: `JobService` and the services that start jobs map them.
///
/// It is a ``Service``: at graceful shutdown every running job is cancelled, and ``run()`` returns
/// once they have ended.
public final class JobRunner: Service, Sendable {
    /// A job as it is at one moment.
    public struct Snapshot: Sendable, Equatable {
        public enum State: Sendable, Equatable {
            case running, succeeded, failed, cancelled
        }

        /// `jobs/{uuid}`.
        public var name: String
        public var kind: String
        public var description: String
        public var state: State = .running
        public var stage = ""
        public var fraction = 0.0
        public var message = ""
        public var createTime: Date
        public var endTime: Date?
        /// What the job made, e.g. `models/3`.
        public var result = ""
        /// Why it failed or was cancelled.
        public var error = ""
        public var creatorUID: UInt32
    }

    /// Reports a job's progress; handed to the job's body.
    public struct Progress: Sendable {
        let runner: JobRunner
        let name: String

        /// Records the current step. Never blocks.
        public func report(stage: String, fraction: Double, message: String) {
            runner.update(name) { job in
                job.stage = stage
                job.fraction = min(max(fraction, job.fraction), 1)
                job.message = message
            }
        }
    }

    private struct Entry {
        var snapshot: Snapshot
        var task: Task<Void, Never>?
        var watchers: [Int: AsyncStream<Snapshot>.Continuation] = [:]
    }

    private struct State {
        var jobs: [String: Entry] = [:]
        /// Names of finished jobs, oldest first.
        var finished: [String] = []
        var nextWatcher = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let logger: Logger
    /// Finished jobs kept for GetJob and ListJobs.
    let historyLimit: Int

    public init(logger: Logger, historyLimit: Int = 100) {
        var logger = logger
        logger[metadataKey: "component"] = "jobs"
        self.logger = logger
        self.historyLimit = historyLimit
    }

    /// Starts `body` as a job and returns its snapshot at once.
    ///
    /// - Parameters:
    ///   - kind: what the job does, e.g. `train`.
    ///   - description: one line for people.
    ///   - creatorUID: the caller that started it.
    ///   - body: the work; it reports through the ``Progress`` it gets, checks for cancellation, and
    ///     returns what it made (a resource name) or throws.
    public func start(
        kind: String,
        description: String,
        creatorUID: UInt32,
        _ body: @escaping @Sendable (Progress) async throws -> String
    ) throws -> Snapshot {
        let name = "jobs/" + UUID().uuidString.lowercased()
        let snapshot = Snapshot(
            name: name,
            kind: kind,
            description: description,
            createTime: Date(),
            creatorUID: creatorUID
        )
        let progress = Progress(runner: self, name: name)
        try state.withLock { state in
            guard !state.stopping else { throw JobError.stopping }
            state.jobs[name] = Entry(snapshot: snapshot)
            // Assigned before the lock is released, so that a cancel never misses the task.
            state.jobs[name]?.task = Task {
                let outcome: Result<String, any Error>
                do {
                    outcome = .success(try await body(progress))
                } catch {
                    outcome = .failure(error)
                }
                self.finish(name, outcome)
            }
        }
        logger.info("job started", metadata: ["job": "\(name)", "kind": "\(kind)", "description": "\(description)"])
        return snapshot
    }

    /// The job named `name`, running or among the recently finished.
    public func job(_ name: String) -> Snapshot? {
        state.withLock { $0.jobs[name]?.snapshot }
    }

    /// Running jobs first (oldest first), then finished ones, newest first.
    public func jobs(kind: String? = nil) -> [Snapshot] {
        let all = state.withLock { state in state.jobs.values.map(\.snapshot) }
            .filter { kind == nil || kind == "" || $0.kind == kind }
        let running = all.filter { $0.state == .running }.sorted { $0.createTime < $1.createTime }
        let ended = all.filter { $0.state != .running }.sorted {
            ($0.endTime ?? $0.createTime) > ($1.endTime ?? $1.createTime)
        }
        return running + ended
    }

    /// Asks a running job to stop; returns the job as it is then.
    public func cancel(_ name: String) throws -> Snapshot {
        let (task, snapshot) = try state.withLock { state -> (Task<Void, Never>?, Snapshot) in
            guard let entry = state.jobs[name] else { throw JobError.notFound(name) }
            guard entry.snapshot.state == .running else { throw JobError.finished(entry.snapshot) }
            return (entry.task, entry.snapshot)
        }
        logger.info("job cancellation asked", metadata: ["job": "\(name)"])
        task?.cancel()
        return snapshot
    }

    /// The job now, then at each change, ending after its final state.
    public func updates(_ name: String) throws -> AsyncStream<Snapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: Snapshot.self, bufferingPolicy: .bufferingNewest(16))
        try state.withLock { state in
            guard let entry = state.jobs[name] else { throw JobError.notFound(name) }
            continuation.yield(entry.snapshot)
            guard entry.snapshot.state == .running else {
                continuation.finish()
                return
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.jobs[name]?.watchers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.jobs[name]?.watchers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Waits for the job to end; its final snapshot.
    public func result(of name: String) async throws -> Snapshot {
        var last: Snapshot?
        for await snapshot in try updates(name) { last = snapshot }
        guard let last else { throw JobError.notFound(name) }
        return last
    }

    /// Until graceful shutdown; then cancels every running job and waits for them to end.
    public func run() async throws {
        try? await gracefulShutdown()
        let tasks = state.withLock { state in
            state.stopping = true
            return state.jobs.values.filter { $0.snapshot.state == .running }.compactMap(\.task)
        }
        if !tasks.isEmpty { logger.notice("cancelling running jobs", metadata: ["jobs": "\(tasks.count)"]) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private func update(_ name: String, _ change: (inout Snapshot) -> Void) {
        let (snapshot, watchers) = state.withLock { state -> (Snapshot?, [AsyncStream<Snapshot>.Continuation]) in
            guard var entry = state.jobs[name], entry.snapshot.state == .running else { return (nil, []) }
            change(&entry.snapshot)
            state.jobs[name] = entry
            return (entry.snapshot, Array(entry.watchers.values))
        }
        if let snapshot { for watcher in watchers { watcher.yield(snapshot) } }
    }

    private func finish(_ name: String, _ outcome: Result<String, any Error>) {
        let (snapshot, watchers) = state.withLock { state -> (Snapshot?, [AsyncStream<Snapshot>.Continuation]) in
            guard var entry = state.jobs[name] else { return (nil, []) }
            entry.snapshot.endTime = Date()
            switch outcome {
            case .success(let result):
                entry.snapshot.state = .succeeded
                entry.snapshot.fraction = 1
                entry.snapshot.result = result
            case .failure(let error) where error is CancellationError || entry.task?.isCancelled == true:
                entry.snapshot.state = .cancelled
                entry.snapshot.error = "cancelled; nothing was stored"
            case .failure(let error):
                entry.snapshot.state = .failed
                entry.snapshot.error = Self.describe(error)
            }
            let watchers = Array(entry.watchers.values)
            entry.watchers = [:]
            entry.task = nil
            state.jobs[name] = entry
            state.finished.append(name)
            while state.finished.count > historyLimit {
                state.jobs.removeValue(forKey: state.finished.removeFirst())
            }
            return (entry.snapshot, watchers)
        }
        guard let snapshot else { return }
        for watcher in watchers {
            watcher.yield(snapshot)
            watcher.finish()
        }
        logger.info(
            "job ended",
            metadata: [
                "job": "\(name)", "state": "\(snapshot.state)", "result": "\(snapshot.result)",
                "error": "\(snapshot.error)",
            ]
        )
    }

    /// An error as the job's `error` text: what a client would have been told, never an internal cause.
    static func describe(_ error: any Error) -> String {
        RPCError(converting: error).map { "\($0.code): \($0.message)" } ?? "internal error; see the daemon's log"
    }
}

/// Why a job request was refused.
public enum JobError: Error, Sendable {
    case notFound(String)
    case finished(JobRunner.Snapshot)
    case stopping
}
