import CRMDLauncher
import Foundation
import Testing

/// Follows the README as a new user would: the quick-start block under "Two commands", run literally and
/// in order against a fresh daemon, must pass command by command.
@Suite("The README quick start")
struct QuickStartTests {
    @Test("every command of the README's quick start succeeds in order on a fresh daemon")
    func quickStart() async throws {
        let readme = try String(contentsOfFile: BuildProducts.repositoryRoot + "/README.md", encoding: .utf8)
        let blocks = AuthorGuideTests.shellBlocks(of: readme, section: "Two commands")
        let quickStart = try #require(
            blocks.first { $0.contains("crmctl admin stats") },
            "the README lost its quick start: \(blocks)"
        )
        let lines = quickStart.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("alias crmctl=") == true, "the block should start by naming crmctl")
        let commands = lines.filter { !$0.hasPrefix("alias crmctl=") && !$0.isEmpty }
        #expect(commands.count >= 10, "the quick start lost its commands: \(commands)")

        try await withDaemon(logLevel: "info") { daemon in
            let work = daemon.root + "/reader"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            // The alias points at the build folder from the repository's root; here crmctl comes from PATH
            // and finds the daemon through CRMD_SOCKET. Each command is echoed so a failure names it.
            let script =
                "set -euo pipefail\n"
                + commands.map { "echo \"+ \($0.replacingOccurrences(of: "\"", with: "\\\""))\" >&2\n\($0)" }
                .joined(separator: "\n") + "\n"
            try script.write(toFile: work + "/quick-start.sh", atomically: true, encoding: .utf8)
            let run = try await runCommand(
                "/bin/bash",
                [work + "/quick-start.sh"],
                environment: [
                    "CRMD_SOCKET": daemon.socketPath,
                    "PATH": (BuildProducts.crmctl as NSString).deletingLastPathComponent + ":/usr/bin:/bin",
                ],
                scratch: work,
                currentDirectory: work,
                timeout: .seconds(600)
            )
            try #require(run.exitCode == 0, "the quick start stopped at a failing command: \(run)")
            #expect(!run.stderr.contains("crmctl: "), "a command reported an error: \(run.stderr)")

            // What the commands left behind: the round trip kept one customer per row, and the report lists
            // customers to act on.
            let stats = try await daemon.stats()
            #expect(stats.customers == 501, "Ada and 500 demo customers, none twice: \(stats)")
            let exported = try String(contentsOfFile: work + "/customers.csv", encoding: .utf8)
            #expect(exported.contains("Ada Lovelace"))
            let report = try String(contentsOfFile: work + "/needs.html", encoding: .utf8)
            #expect(report.contains("<html"), "needs.html is not HTML")
            #expect(report.contains("customers/"), "the report names no customer")
        }
    }
}
