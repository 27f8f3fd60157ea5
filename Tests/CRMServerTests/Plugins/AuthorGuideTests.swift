import CRMDLauncher
import CRMProto
import Foundation
import Testing

/// Follows docs/plugins.md as a third-party author would: the shell blocks of
/// "A plugin in C", run literally outside this repository's build, must give
/// a library that crmd loads and calls.
@Suite("The plugin author's guide")
struct AuthorGuideTests {
    /// The `sh` blocks of one `## ` section of a Markdown file, in order.
    static func shellBlocks(of markdown: String, section: String) -> [String] {
        var blocks: [String] = []
        var inSection = false
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("## ") {
                inSection = line == "## \(section)"
                continue
            }
            guard inSection else { continue }
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    @Test("an out-of-tree C plugin built by the guide's commands loads in crmd and answers describe")
    func cPluginFromTheGuide() async throws {
        let guide = try String(contentsOfFile: BuildProducts.repositoryRoot + "/docs/plugins.md", encoding: .utf8)
        let blocks = Self.shellBlocks(of: guide, section: "A plugin in C")
        #expect(blocks.count >= 4, "the guide's C section lost its commands: \(blocks.count) blocks")

        let work = try Daemon.makeTempDirectory(prefix: "crmd-guide")
        defer { try? FileManager.default.removeItem(atPath: work) }
        // The guide's first block chooses CRMD and WORK for a reader; the test
        // points them at this tree and a temp folder, and runs the rest as written.
        let script = blocks.joined(separator: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("export CRMD=") && !$0.hasPrefix("export WORK=") }
            .joined(separator: "\n")
        try ("set -euo pipefail\n" + script + "\n").write(toFile: work + "/guide.sh", atomically: true, encoding: .utf8)
        let build = try await runCommand(
            "/bin/bash",
            [work + "/guide.sh"],
            environment: ["CRMD": BuildProducts.repositoryRoot, "WORK": work],
            scratch: work,
            currentDirectory: work
        )
        #expect(build.exitCode == 0, "the guide's commands failed: \(build)")
        let library = work + "/prior-c/libcrmplugin-prior-c.so"
        guard FileManager.default.fileExists(atPath: library) else {
            Issue.record("the guide built no \(library)")
            return
        }
        #expect(build.stdout.contains("crm_plugin_entry"), "nm should list the entry symbol: \(build.stdout)")

        try await withPluginDaemon(products: [], extraArguments: ["--plugin-dir", work + "/prior-c"]) { daemon in
            let list = try await daemon.plugins.listPlugins(.init())
            guard let prior = list.plugins.first(where: { $0.displayName == "prior-c" }) else {
                Issue.record("prior-c is not listed: \(list.plugins)")
                return
            }
            #expect(prior.status == .ok, "\(prior)")
            #expect(prior.path == library)
            let described = try await daemon.plugins.describePlugin(.with { $0.name = "plugins/prior-c" })
            #expect(described.methods.contains("train"), "\(described)")
        }
    }
}
