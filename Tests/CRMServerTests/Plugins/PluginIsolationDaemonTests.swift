import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

/// Misbehaving plugins against a running crmd: each reaches its plugin through DescribePlugin (the fixtures
/// misbehave on every `describe` after the one crmd makes at load), and crmd must answer that call clearly and
/// go on serving everyone else.
@Suite("PluginIsolation daemon")
struct PluginIsolationDaemonTests {
    private func describe(
        _ daemon: PluginDaemon,
        _ plugin: String,
        timeout: Duration? = nil
    ) async throws -> Crm_V1_DescribePluginResponse {
        var options = CallOptions.defaults
        options.timeout = timeout
        return try await daemon.plugins.describePlugin(.with { $0.name = "plugins/\(plugin)" }, options: options)
    }

    private func rpcError(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    /// The daemon answers a health check, an admin call and another plugin's call.
    private func expectServing(_ daemon: PluginDaemon, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let health = try await daemon.connection.health.check(.init())
        #expect(health.status == .serving, sourceLocation: sourceLocation)
        let stats = try await daemon.connection.admin.getStats(Crm_V1_GetStatsRequest())
        #expect(stats.customers == 0, sourceLocation: sourceLocation)
        let other = try await describe(daemon, "gaussian-nb")
        #expect(other.algorithms.map(\.name) == ["gaussian-nb"], sourceLocation: sourceLocation)
    }

    /// Waits (up to 20 s) until the daemon's log contains `text`.
    private func waitForLog(_ daemon: PluginDaemon, _ text: String) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < deadline {
            if daemon.logs.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test(
        "a crash or an abort in a plugin answers UNAVAILABLE for that call only; the plugin answers again",
        arguments: [("crash", "SIGSEGV"), ("abort", "SIGABRT")]
    )
    func crash(mode: String, signal: String) async throws {
        try await withPluginDaemon(
            products: ["crmfixture-crash", "crmplugin-gaussian-nb"],
            pluginsYAML: "  fixture-crash:\n    settings: {on_describe: \(mode)}\n"
        ) { daemon in
            let error = await rpcError { _ = try await describe(daemon, "fixture-crash") }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(
                error?.message == "plugin fixture-crash crashed (\(signal)); restarted",
                "\(String(describing: error))"
            )
            try await expectServing(daemon)
            // The replacement process answers (its first describe is a normal one).
            let again = try await describe(daemon, "fixture-crash")
            #expect(again.methods.contains("echo"))
            #expect(daemon.logs.contains("plugin process crashed"))
        }
    }

    @Test("a call stuck in a plugin is killed after its deadline and the grace period; the plugin answers again")
    func stuckCall() async throws {
        try await withPluginDaemon(
            products: ["crmfixture-loop-call", "crmplugin-gaussian-nb"],
            pluginsYAML: "plugin_host:\n  cancel_grace: 500ms\n"
        ) { daemon in
            let error = await rpcError {
                _ = try await describe(daemon, "fixture-loop-call", timeout: .milliseconds(500))
            }
            #expect(error?.code == .deadlineExceeded, "\(String(describing: error))")
            let killed = try await waitForLog(daemon, "plugin process killed")
            #expect(killed, "\(daemon.logs)")
            try await expectServing(daemon)
            let again = try await describe(daemon, "fixture-loop-call")
            #expect(again.methods.contains("echo"))
        }
    }

    @Test("plugin processes live as long as crmd, not as long as the thread that started them")
    func processesOutliveTheirSpawningThread() async throws {
        try await withPluginDaemon(products: ["crmplugin-gaussian-nb", "crmfixture-behaviour"]) { daemon in
            // PR_SET_PDEATHSIG fires when the thread that spawned a process ends; Swift's pool threads end
            // after about 5 idle seconds. An idle daemon must keep its plugin processes well past that.
            try await Task.sleep(for: .seconds(8))
            #expect(!daemon.logs.contains("plugin process crashed"), "\(daemon.logs)")
            #expect(!daemon.logs.contains("plugin process killed"), "\(daemon.logs)")
            try await expectServing(daemon)
        }
    }

    @Test("SIGTERM stops crmd, exit status 0, while a plugin call loops for ever")
    func sigtermWithStuckCall() async throws {
        try await withPluginDaemon(products: ["crmfixture-loop-call"]) { daemon in
            let call = Task { try await describe(daemon, "fixture-loop-call") }
            let looping = try await waitForLog(daemon, "looping for ever")
            #expect(looping, "\(daemon.logs)")
            daemon.process.send(SIGTERM)
            // Before plugins ran in processes of their own, crmd hung here until systemd's SIGKILL.
            let ended = await daemon.process.waitForExit(timeout: .seconds(20))
            #expect(ended == .exited(0), "\(String(describing: ended))\n\(daemon.logs)")
            let error = await rpcError { _ = try await call.value }
            #expect(error != nil)
        }
    }

    @Test("a plugin past its memory limit is stopped by it; crmd serves on")
    func memoryLimit() async throws {
        try await withPluginDaemon(
            products: ["crmfixture-hog", "crmplugin-gaussian-nb"],
            pluginsYAML: "  fixture-hog:\n    memory_limit: 256MiB\n"
        ) { daemon in
            let error = await rpcError { _ = try await describe(daemon, "fixture-hog") }
            #expect(error?.code == .unavailable, "\(String(describing: error))")
            #expect(error?.message == "plugin fixture-hog crashed (SIGABRT); restarted", "\(String(describing: error))")
            #expect(daemon.logs.contains("allocation failed after"), "\(daemon.logs)")
            try await expectServing(daemon)
        }
    }

    @Test("an init that never returns is listed as an error; start-up and ReloadPlugins complete")
    func stuckInit() async throws {
        try await withPluginDaemon(
            products: ["crmfixture-loop-init", "crmplugin-gaussian-nb"],
            pluginsYAML: "plugin_host:\n  init_timeout: 2s\n"
        ) { daemon in
            let list = try await daemon.plugins.listPlugins(.init())
            let stuck = try #require(list.plugins.first { $0.path.hasSuffix("libcrmfixture-loop-init.so") })
            #expect(stuck.status == .error)
            #expect(stuck.reason == "init did not finish within 2 s", "\(stuck.reason)")
            try await expectServing(daemon)

            try FileManager.default.createSymbolicLink(
                atPath: daemon.folder.path + "/libcrmfixture-loop-init-again.so",
                withDestinationPath: BuildProducts.directory + "/libcrmfixture-loop-init.so"
            )
            var options = CallOptions.defaults
            options.timeout = .seconds(20)
            let reloaded = try await daemon.plugins.reloadPlugins(.init(), options: options)
            #expect(reloaded.added.count == 1)
            let again = try #require(reloaded.plugins.first { $0.path.hasSuffix("-again.so") })
            #expect(again.status == .error)
            #expect(again.reason == "init did not finish within 2 s", "\(again.reason)")
        }
    }
}
