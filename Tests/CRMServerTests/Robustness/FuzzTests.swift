import CRMDLauncher
import Foundation
import Testing

/// Issue 9: a fixed-seed run of scripts/fuzz.sh — malformed and boundary messages to every method
/// of every service (from the descriptors), a short mixed load, idle connections, unfinished atomic
/// imports and a too-large request — against the built crmd. Longer runs: `scripts/fuzz.sh 100000`.
@Suite("Fuzzing every method")
struct FuzzTests {
    /// Stalls are measured by the script and reported, not asserted: timing belongs to benchmarks.
    @Test(
        "2,000 fixed-seed calls: no crash, no hang, no internal error, no data changed by a rejected call",
        .enabled(if: PythonGRPC.isAvailable || PythonGRPC.isRequired, "python3 with grpcio and grpcio-tools"),
        .timeLimit(.minutes(5))
    )
    func fixedSeed() async throws {
        try #require(PythonGRPC.isAvailable, "CI is set but `import grpc, grpc_tools.protoc` fails")
        let root = try Daemon.makeTempDirectory(prefix: "crmd-fz")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = BuildProducts.repositoryRoot + "/scripts/fuzz.sh"
        let result = try await runCommand(
            "/bin/bash",
            [
                script, "--seed", "1", "--crmd", BuildProducts.crmd, "--load-seconds", "3", "--idle-connections", "20",
                "--max-seconds", "240", "2000",
            ],
            environment: ["TMPDIR": root],
            scratch: root,
            timeout: .seconds(280)
        )
        let summary = Self.summary(result.stdout)
        #expect(summary["calls"] == 2000, "\(result)")
        #expect(summary["crashes"] == 0, "\(result.stdout)")
        #expect(summary["hangs"] == 0, "\(result.stdout)")
        #expect(summary["internal errors"] == 0, "\(result.stdout)")
        #expect(summary["data changed by rejected calls"] == 0, "\(result.stdout)")
        #expect(result.exitCode == 0, "\(result)")
    }

    /// The numbers of the summary lines (`crashes: 0`, `calls 2000`, `calls over 1 s: 0`, …).
    static func summary(_ output: String) -> [String: Int] {
        var numbers: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            if line.hasPrefix("fuzz: "), let calls = line.firstRange(of: "calls ") {
                numbers["calls"] = Int(line[calls.upperBound...].prefix { $0.isNumber })
            }
            for key in ["crashes", "hangs", "internal errors", "data changed by rejected calls"]
            where line.hasPrefix(key + ": ") {
                numbers[key] = Int(line.dropFirst(key.count + 2).prefix { $0.isNumber })
            }
            if line.hasPrefix("load: "), let over = line.firstRange(of: "calls over 1 s: ") {
                numbers["calls over 1 s"] = Int(line[over.upperBound...].prefix { $0.isNumber })
            }
        }
        return numbers
    }
}
