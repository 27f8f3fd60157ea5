import CRMProto
import Foundation
import GRPCCore
import Testing

/// Issue 10: long work runs as jobs of one job runner; a detached training outlives its call, shows
/// its progress in `crmctl job list`, and `crmctl job cancel` stops it.
@Suite("Jobs: detached trainings, job list, wait and cancel")
struct JobServiceTests {
    /// An uploaded table and a network slow enough to still be training seconds later.
    static func slowTraining() -> Crm_V1_TrainRequest {
        var request = Crm_V1_TrainRequest()
        request.algorithm = "neural-network"
        request.parameters = ["hidden_layer_sizes": "256,256", "max_iter": "5000", "tol": "0"]
        request.cvFolds = 1
        request.dataset.featureNames = (0..<20).map { "f\($0)" }
        request.dataset.values = (0..<(3000 * 20)).map { Double(($0 * 7919) % 1000) / 1000 }
        request.dataset.labels = (0..<3000).map { $0 % 3 == 0 ? "a" : "b" }
        request.detach = true
        return request
    }

    static func startDetached(_ daemon: Daemon, _ request: Crm_V1_TrainRequest) async throws -> String {
        try await daemon.connection.analysis.train(request) { response in
            var name = ""
            for try await progress in response.messages { name = progress.job }
            return name
        }
    }

    @Test(
        "a detached training is listed with its progress while running, and job cancel stops it",
        .timeLimit(.minutes(3))
    )
    func listAndCancel() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            let name = try await Self.startDetached(daemon, Self.slowTraining())
            #expect(name.hasPrefix("jobs/"), "\(name)")

            // The call has ended; the job runs on and reports its progress.
            var running: [String] = []
            for _ in 0..<100 {
                let list = try await daemon.crmctl(["job", "list", "-o", "csv"])
                try #require(list.succeeded, "\(list)")
                running = list.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(name + ",") }
                if running.first?.contains(",training,") == true { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let row = try #require(running.first, "\(name) is not listed")
            #expect(row.contains(",train,running,"), "\(row)")
            #expect(row.contains(",training,"), "\(row)")

            let cancel = try await daemon.crmctl(["job", "cancel", name])
            #expect(cancel.succeeded, "\(cancel)")
            let wait = try await daemon.crmctl(["job", "wait", name, "-o", "json"])
            #expect(wait.exitCode == 1, "\(wait)")
            #expect(wait.stderr.contains("was cancelled"), "\(wait)")
            #expect(wait.stdout.contains("\"CANCELLED\""), "\(wait)")

            let models = try await daemon.connection.analysis.listModels(Crm_V1_ListModelsRequest())
            #expect(models.models.isEmpty, "a cancelled training stored \(models.models.map(\.name))")
            // Cancelling it again: it has ended.
            let again = try await daemon.crmctl(["job", "cancel", name])
            #expect(again.exitCode != 0 && again.stderr.contains("has already ended"), "\(again)")
        }
    }

    @Test("a detached training that succeeds names its model; WaitJob ends with it", .timeLimit(.minutes(3)))
    func waitForModel() async throws {
        try await withDaemon(logLevel: "info") { daemon in
            var request = Self.slowTraining()
            request.algorithm = "decision-tree"
            request.parameters = [:]
            let name = try await Self.startDetached(daemon, request)

            var wait = Crm_V1_WaitJobRequest()
            wait.name = name
            let jobs = Crm_V1_JobService.Client(wrapping: daemon.connection.grpc)
            let last = try await jobs.waitJob(wait) { response in
                var last: Crm_V1_Job?
                for try await job in response.messages { last = job }
                return last
            }
            let job = try #require(last)
            #expect(job.state == .succeeded, "\(job)")
            #expect(job.kind == "train")
            #expect(job.result.hasPrefix("models/"), "\(job)")
            var get = Crm_V1_GetModelRequest()
            get.name = job.result
            #expect(try await daemon.connection.analysis.getModel(get).algorithm == "decision-tree")

            let shown = try await daemon.crmctl(["job", "get", name, "-o", "table"])
            #expect(shown.succeeded && shown.stdout.contains("succeeded"), "\(shown)")
            await expectRPCError(.notFound) {
                var unknown = Crm_V1_GetJobRequest()
                unknown.name = "jobs/00000000-0000-0000-0000-000000000000"
                return try await jobs.getJob(unknown)
            }
        }
    }
}
