import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl job …`: long work running in crmd (trainings started with `--detach`, and every other).
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "List, show, wait for or cancel crmd's long-running jobs.",
        subcommands: [List.self, Get.self, Wait.self, Cancel.self]
    )

    static let headers = ["NAME", "KIND", "STATE", "PROGRESS", "STAGE", "RESULT/ERROR", "DESCRIPTION"]

    static func row(_ job: Crm_V1_Job) -> [String] {
        [
            job.name, job.kind, state(job.state), "\(Int((job.fraction * 100).rounded())) %", job.stage,
            job.state == .succeeded ? job.result : job.error.isEmpty ? job.message : job.error, job.description_p,
        ]
    }

    static func state(_ state: Crm_V1_Job.State) -> String {
        switch state {
        case .running: "running"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .cancelled: "cancelled"
        default: "-"
        }
    }

    static func print(_ jobs: [Crm_V1_Job], response: some SwiftProtobuf.Message, options: ClientOptions) throws {
        switch options.format {
        case .table, .wide:
            Terminal.write(TextTable(headers: headers, rows: jobs.map(row), maxColumnWidth: 80).render())
        case .json:
            Terminal.write(try Printer.json(response))
        case .csv:
            var writer = CSVWriter()
            writer.write([
                "name", "kind", "state", "fraction", "stage", "message", "result", "error", "description",
                "create_time", "end_time",
            ])
            for job in jobs {
                writer.write([
                    job.name, job.kind, state(job.state), "\(job.fraction)", job.stage, job.message, job.result,
                    job.error, job.description_p, RFC3339.format(job.createTime, isSet: job.hasCreateTime),
                    RFC3339.format(job.endTime, isSet: job.hasEndTime),
                ])
            }
            Terminal.write(writer.text)
        }
    }

    /// `jobs/{uuid}`, or the bare uuid.
    static func name(_ argument: String) -> String {
        argument.hasPrefix("jobs/") ? argument : "jobs/" + argument
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Running jobs, then recently finished ones, newest first.",
            aliases: ["ls"]
        )

        @OptionGroup var options: ClientOptions
        @Option(help: "Only jobs of this kind, e.g. train.")
        var kind: String?

        func run() async throws {
            var request = Crm_V1_ListJobsRequest()
            request.kind = kind ?? ""
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_JobService.Client(wrapping: client).listJobs(request)
            }
            try JobCommand.print(response.jobs, response: response, options: options)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "The job: jobs/{uuid}.")
        var name: String

        func run() async throws {
            var request = Crm_V1_GetJobRequest()
            request.name = JobCommand.name(name)
            let job = try await Daemon.withClient(options) { client in
                try await Crm_V1_JobService.Client(wrapping: client).getJob(request)
            }
            try JobCommand.print([job], response: job, options: options)
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a job's progress until it ends; fails unless it succeeded."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: "The job: jobs/{uuid}.")
        var name: String
        @Flag(help: "No progress line.")
        var quiet = false

        func run() async throws {
            let last = try await JobCommand.follow(JobCommand.name(name), options: options, quiet: quiet)
            try JobCommand.print([last], response: last, options: options)
            try JobCommand.requireSuccess(last)
        }
    }

    /// Follows the job `name` until it ends, with a progress line on a terminal; returns its last state.
    static func follow(_ name: String, options: ClientOptions, quiet: Bool) async throws -> Crm_V1_Job {
        var request = Crm_V1_WaitJobRequest()
        request.name = name
        let quiet = quiet || !Terminal.stderrIsTerminal
        let last = try await Daemon.withClient(options) { client in
            try await Crm_V1_JobService.Client(wrapping: client).waitJob(request) { response in
                var last: Crm_V1_Job?
                for try await job in response.messages {
                    if !quiet {
                        // \u{1B}[K clears what a longer previous line left.
                        let percent = Int((job.fraction * 100).rounded(.down))
                        Terminal.writeError("\r\(percent)% \(job.stage): \(job.message.prefix(60))\u{1B}[K")
                    }
                    last = job
                }
                if !quiet { Terminal.writeError("\n") }
                return last
            }
        }
        guard let last else { throw CommandError(.failure, "crmd sent nothing for \(name)") }
        return last
    }

    /// Fails unless the job succeeded.
    static func requireSuccess(_ job: Crm_V1_Job) throws {
        switch job.state {
        case .succeeded: return
        case .cancelled: throw CommandError(.failure, "\(job.name) was cancelled")
        default: throw CommandError(.failure, "\(job.name) failed: \(job.error)")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask a running job to stop.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "The job: jobs/{uuid}.")
        var name: String

        func run() async throws {
            var request = Crm_V1_CancelJobRequest()
            request.name = JobCommand.name(name)
            let job = try await Daemon.withClient(options) { client in
                try await Crm_V1_JobService.Client(wrapping: client).cancelJob(request)
            }
            try JobCommand.print([job], response: job, options: options)
        }
    }
}
