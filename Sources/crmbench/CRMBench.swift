import ArgumentParser
import CRMProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// Measures crmd from the outside, as a client would: writes large customer
/// CSV files for `crmctl import`, and times GetCustomer and SearchCustomers.
@main
struct CRMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmbench",
        abstract: "Load generator and latency probe for crmd (see scripts/bench.sh).",
        subcommands: [WriteCSV.self, GetLoop.self, SearchLatency.self, DuplicatesBench.self]
    )
}

struct SocketOption: ParsableArguments {
    @Option(help: "crmd's socket.")
    var socket = "./var/crmd.sock"

    func withClient<R: Sendable>(_ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> R) async throws -> R {
        try await withGRPCClient(
            transport: .http2NIOPosix(target: .unixDomainSocket(path: socket), transportSecurity: .plaintext),
            handleClient: body
        )
    }
}

/// SplitMix64: a small deterministic generator, so that runs are comparable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let firstNames = [
    "Anna", "Ben", "Chen", "Dana", "Emil", "Fatima", "Georg", "Hana", "Ivan", "Julia", "Karl", "Lena", "Mohammed",
    "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Uwe", "Vera", "Wei", "Xenia", "Yusuf", "Zoe",
]
let lastNames = [
    "Schmidt", "Miller", "Wang", "Garcia", "Novak", "Rossi", "Dubois", "Kowalski", "Jensen", "Okafor", "Tanaka",
    "Silva", "Larsen", "Kaya", "Weber", "Fischer", "Meyer", "Wagner", "Becker", "Hoffmann",
]
let companies = [
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne", "Soylent",
    "Wonka",
]

struct WriteCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Write a customers CSV file for `crmctl import customers`."
    )

    @Option var customers = 100_000
    @Option var seed: UInt64 = 1
    @Option var out: String

    func run() throws {
        var random = SplitMix64(state: seed)
        var text =
            "external_id,display_name,email,phone,company,street,city,region,postal_code,country,tags,lifecycle_stage,customer_since,attr.segment\n"
        text.reserveCapacity(customers * 140)
        let stages = ["lead", "prospect", "customer", "churned"]
        for index in 1...customers {
            let first = firstNames.randomElement(using: &random)!
            let last = lastNames.randomElement(using: &random)!
            let company = companies.randomElement(using: &random)!
            let phone = "030 \(1_000_000 + Int(random.next() % 8_999_999))"
            let since = String(format: "20%02d-%02d-%02d", 15 + index % 10, 1 + index % 12, 1 + index % 28)
            text +=
                "B\(index),\(first) \(last),\(first.lowercased()).\(last.lowercased()).\(index)@example.com,\(phone),\(company) GmbH,Hauptstr. \(index % 200),Berlin,BE,10\(index % 1000),DE,bench;\(company.lowercased()),\(stages[index % 4]),\(since),s\(index % 5)\n"
        }
        try text.write(toFile: out, atomically: true, encoding: .utf8)
    }
}

/// Prints percentiles of `samples` (seconds) in microseconds.
func percentiles(_ samples: [Double]) -> String {
    let sorted = samples.sorted()
    func at(_ p: Double) -> Int { Int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1_000_000) }
    return "p50 \(at(0.5)) µs, p90 \(at(0.9)) µs, p99 \(at(0.99)) µs"
}

struct GetLoop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "GetCustomer calls per second from concurrent callers."
    )

    @OptionGroup var connection: SocketOption
    @Option(help: "Seconds to run.") var seconds = 10.0
    @Option(help: "Concurrent callers on one connection.") var callers = 1
    @Option(help: "Customer ids are drawn from 1...N.") var customers = 100_000

    func run() async throws {
        let (calls, samples) = try await connection.withClient { client in
            let service = Crm_V1_CustomerService.Client(wrapping: client)
            let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
            return try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        var random = SplitMix64(state: UInt64(caller + 1))
                        var samples: [Double] = []
                        var request = Crm_V1_GetCustomerRequest()
                        while ContinuousClock.now < deadline {
                            request.name = "customers/\(1 + Int(random.next() % UInt64(customers)))"
                            let start = ContinuousClock.now
                            _ = try await service.getCustomer(request)
                            let elapsed = ContinuousClock.now - start
                            samples.append(
                                Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
                            )
                        }
                        return (samples.count, samples)
                    }
                }
                var total = 0
                var all: [Double] = []
                for try await (count, samples) in group {
                    total += count
                    all += samples
                }
                return (total, all)
            }
        }
        print(
            String(
                format: "GetCustomer: %.0f calls/s with %d caller(s) over %.0f s; ",
                Double(calls) / seconds,
                callers,
                seconds
            ) + percentiles(samples)
        )
    }
}

struct SearchLatency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "SearchCustomers latency over prefix queries."
    )

    @OptionGroup var connection: SocketOption
    @Option var queries = 500
    @Option var pageSize: Int32 = 20

    func run() async throws {
        let words =
            firstNames.map { String($0.lowercased().prefix(3)) } + lastNames.map { String($0.lowercased().prefix(4)) }
            + companies.map { $0.lowercased() } + ["anna schm", "wang 030", "example"]
        let samples = try await connection.withClient { client in
            let service = Crm_V1_CustomerService.Client(wrapping: client)
            var samples: [Double] = []
            var request = Crm_V1_SearchCustomersRequest()
            request.pageSize = pageSize
            for index in 0..<queries {
                request.query = words[index % words.count]
                let start = ContinuousClock.now
                _ = try await service.searchCustomers(request)
                let elapsed = ContinuousClock.now - start
                samples.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            }
            return samples
        }
        print("SearchCustomers (page of \(pageSize), \(queries) prefix queries): " + percentiles(samples))
    }
}
