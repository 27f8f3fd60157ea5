public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.JobService` over the daemon's ``JobRunner``.
public struct JobService: Crm_V1_JobService.SimpleServiceProtocol {
    let runner: JobRunner

    public init(runner: JobRunner) {
        self.runner = runner
    }

    public func getJob(request: Crm_V1_GetJobRequest, context: ServerContext) async throws -> Crm_V1_Job {
        try Self.checkName(request.name)
        guard let job = runner.job(request.name) else { throw Self.notFound(request.name) }
        return Crm_V1_Job(job)
    }

    public func listJobs(
        request: Crm_V1_ListJobsRequest,
        context: ServerContext
    ) async throws
        -> Crm_V1_ListJobsResponse
    {
        var response = Crm_V1_ListJobsResponse()
        response.jobs = runner.jobs(kind: request.kind).map(Crm_V1_Job.init)
        return response
    }

    public func cancelJob(request: Crm_V1_CancelJobRequest, context: ServerContext) async throws -> Crm_V1_Job {
        try Self.checkName(request.name)
        do {
            return Crm_V1_Job(try runner.cancel(request.name))
        } catch let error as JobError {
            throw Self.rpcError(error)
        }
    }

    public func waitJob(
        request: Crm_V1_WaitJobRequest,
        response: RPCWriter<Crm_V1_Job>,
        context: ServerContext
    ) async throws {
        try Self.checkName(request.name)
        let updates: AsyncStream<JobRunner.Snapshot>
        do {
            updates = try runner.updates(request.name)
        } catch let error as JobError {
            throw Self.rpcError(error)
        }
        // grpc-swift does not cancel the handler when the client cancels or goes away: follow the job in
        // a task of its own and cancel that then, or an abandoned WaitJob would hold its call slot until
        // the job ends.
        let following = Task {
            for await job in updates {
                try await response.write(Crm_V1_Job(job))
            }
        }
        try await withRPCCancellationHandler {
            try await following.value
        } onCancelRPC: {
            following.cancel()
        }
    }

    static func checkName(_ name: String) throws {
        guard name.hasPrefix("jobs/"), name.count > 5, name.count <= 64 else {
            throw RPCError(code: .invalidArgument, message: "name: must be a job's name, jobs/{uuid}")
        }
    }

    static func notFound(_ name: String) -> RPCError {
        RPCError(code: .notFound, message: "\(name) not found (finished jobs are kept for a while only)")
    }

    static func rpcError(_ error: JobError) -> RPCError {
        switch error {
        case .notFound(let name): notFound(name)
        case .finished(let job): RPCError(code: .failedPrecondition, message: "\(job.name) has already ended")
        case .stopping: RPCError(code: .unavailable, message: "crmd is stopping; no job starts now")
        }
    }
}

extension Crm_V1_Job {
    init(_ job: JobRunner.Snapshot) {
        self.init()
        name = job.name
        kind = job.kind
        description_p = job.description
        state =
            switch job.state {
            case .running: .running
            case .succeeded: .succeeded
            case .failed: .failed
            case .cancelled: .cancelled
            }
        stage = job.stage
        fraction = job.fraction
        message = job.message
        createTime = .init(microsecondDate: job.createTime)
        if let end = job.endTime { endTime = .init(microsecondDate: end) }
        result = job.result
        error = job.error
        creatorUid = job.creatorUID
    }
}
