import Foundation
import GRPCCore
import Logging
import Synchronization
import Testing

@testable import CRMServer

/// Plugins in plugin-host processes, driven through the host's API in the test process: a crash, an abort,
/// an exit, an endless call, an endless init and a memory hog each end their own call (or load) with a clear
/// status, and the plugin serves again afterwards.
@Suite("PluginIsolation")
struct PluginIsolationTests {
    /// A host scanning a temp folder holding `products`, with short timeouts so that the tests stay quick.
    private func host(
        _ products: [String],
        plugins: [String: PluginHostConfiguration.Plugin] = [:],
        initTimeout: Duration = .seconds(10),
        cancelGrace: Duration = .seconds(1)
    ) async throws -> PluginHost {
        let root = try Daemon.makeTempDirectory(prefix: "crmd-iso")
        let folder = try PluginFolder(in: root, products: products)
        let host = PluginHost(
            configuration: PluginHostConfiguration(
                folders: [.init(path: folder.path)],
                plugins: plugins,
                initTimeout: initTimeout,
                cancelGrace: cancelGrace
            ),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        await host.scan()
        return host
    }

    private func failure(_ body: () async throws -> [UInt8]) async -> RPCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    private func pid(_ host: PluginHost, _ plugin: String = "fixture-crash") async throws -> UInt32 {
        let bytes = try await host.callBytes(plugin: plugin, method: "pid", request: [])
        try #require(bytes.count == 4)
        return bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    @Test(
        "a crash, an abort and an exit end that call with UNAVAILABLE naming the plugin and the signal; the next call runs in a new process",
        arguments: [("crash", "(SIGSEGV)"), ("abort", "(SIGABRT)"), ("exit", "(exit status 3)")]
    )
    func crash(method: String, status: String) async throws {
        let host = try await host(["crmfixture-crash", "crmfixture-behaviour"])
        let record = try #require(host.record(named: "fixture-crash"))
        #expect(record.status == .ok, "\(record.reason)")
        #expect(record.plugin?.isIsolated == true)
        let before = try await pid(host)
        #expect(before != UInt32(getpid()))

        let error = await failure { try await host.callBytes(plugin: "fixture-crash", method: method, request: []) }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(error?.message == "plugin fixture-crash crashed \(status); restarted", "\(String(describing: error))")

        // The other plugin never noticed; the crashed one answers again, from another process.
        #expect(try await host.callBytes(plugin: "fixture-behaviour", method: "echo", request: [7]) == [7])
        #expect(try await host.callBytes(plugin: "fixture-crash", method: "echo", request: [1, 2]) == [1, 2])
        #expect(try await pid(host) != before)
        await host.shutdownAll()
    }

    @Test("a plugin with one process (SERIAL, or workers: 1) is restarted after a crash of its first process")
    func crashWithOneProcess() async throws {
        let host = try await host(["crmfixture-crash"], plugins: ["fixture-crash": .init(workers: 1)])
        let error = await failure { try await host.callBytes(plugin: "fixture-crash", method: "crash", request: []) }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        // Guarded: a pool that still counted the dead process would make this call wait for ever.
        let next = Task { try await host.callBytes(plugin: "fixture-crash", method: "echo", request: [3]) }
        let guardTask = Task {
            try await Task.sleep(for: .seconds(20))
            next.cancel()
        }
        let echoed = try await next.value
        #expect(echoed == [3])
        guardTask.cancel()
        let plugin = try #require(host.record(named: "fixture-crash")?.plugin as? IsolatedPlugin)
        #expect(plugin.processCount == 1)
        await host.shutdownAll()
    }

    @Test(
        "a call that ignores cancellation is killed after the grace period and answered CANCELLED; the plugin serves on"
    )
    func stuckCall() async throws {
        let host = try await host(["crmfixture-loop-call"], cancelGrace: .milliseconds(500))
        let started = ContinuousClock.now
        let call = Task { try await host.callBytes(plugin: "fixture-loop-call", method: "loop", request: []) }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let error = await failure { try await call.value }
        #expect(error?.code == .cancelled, "\(String(describing: error))")
        #expect(
            error?.message.contains("did not stop within 500 ms; its process was killed") == true,
            "\(String(describing: error))"
        )
        #expect(ContinuousClock.now - started < .seconds(30), "the stuck call was never ended")
        #expect(try await host.callBytes(plugin: "fixture-loop-call", method: "echo", request: [9]) == [9])
        await host.shutdownAll()
    }

    @Test("an init that never returns is an error record after the timeout; the scan goes on to the next library")
    func stuckInit() async throws {
        let host = try await host(["crmfixture-loop-init", "crmfixture-behaviour"], initTimeout: .seconds(1))
        let stuck = try #require(host.records.first { $0.path.hasSuffix("libcrmfixture-loop-init.so") })
        #expect(stuck.status == .error)
        #expect(stuck.reason == "init did not finish within 1 s", "\(stuck.reason)")
        #expect(stuck.name == "fixture-loop-init")
        #expect(host.record(named: "fixture-behaviour")?.status == .ok)
        await host.shutdownAll()
    }

    @Test("a plugin that allocates past its memory limit is stopped by it, and serves again")
    func memoryLimit() async throws {
        let host = try await host(["crmfixture-hog"], plugins: ["fixture-hog": .init(memoryLimit: 256 << 20)])
        let error = await failure { try await host.callBytes(plugin: "fixture-hog", method: "hog", request: []) }
        // The fixture aborts when malloc fails; without the limit it would return INTERNAL after 8 GiB.
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(error?.message == "plugin fixture-hog crashed (SIGABRT); restarted", "\(String(describing: error))")
        #expect(try await host.callBytes(plugin: "fixture-hog", method: "echo", request: [5]) == [5])
        await host.shutdownAll()
    }

    @Test("a call over its CPU limit is ended by SIGXCPU")
    func cpuLimit() async throws {
        let host = try await host(["crmfixture-loop-call"], plugins: ["fixture-loop-call": .init(cpuLimit: 1)])
        let error = await failure { try await host.callBytes(plugin: "fixture-loop-call", method: "spin", request: []) }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(
            error?.message
                == "plugin fixture-loop-call crashed (SIGXCPU: over its CPU limit of 1 s per call); restarted",
            "\(String(describing: error))"
        )
        await host.shutdownAll()
    }

    @Test(
        "the plugin's process is confined: no new privileges, a seccomp filter, its memory limit, descriptors 0-3 only"
    )
    func confinement() async throws {
        let host = try await host(["crmfixture-crash"], plugins: ["fixture-crash": .init(memoryLimit: 1 << 30)])
        let pid = try await pid(host)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.contains("NoNewPrivs:\t1"), "\(status)")
        #expect(status.contains("Seccomp:\t2"), "\(status)")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let addressSpace = limits.split(separator: "\n").first { $0.hasPrefix("Max address space") } ?? ""
        #expect(
            addressSpace.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).prefix(2) == [
                "1073741824", "1073741824",
            ],
            "\(addressSpace)"
        )
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").compactMap(Int.init)
        #expect(descriptors.sorted() == [0, 1, 2, 3], "\(descriptors)")
        await host.shutdownAll()
    }

    @Test("memory_limit none lifts the limit the process was loaded under")
    func noMemoryLimit() async throws {
        let host = try await host(["crmfixture-crash"], plugins: ["fixture-crash": .init(memoryLimit: 0)])
        let pid = try await pid(host)
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let addressSpace = limits.split(separator: "\n").first { $0.hasPrefix("Max address space") } ?? ""
        #expect(
            addressSpace.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).prefix(2)
                == ["unlimited", "unlimited"],
            "\(addressSpace)"
        )
        await host.shutdownAll()
    }

    @Test("calls of an isolated plugin run in several processes at once; a SERIAL plugin gets one")
    func pool() async throws {
        let host = try await host(["crmfixture-behaviour", "crmfixture-serial"])
        for plugin in ["fixture-behaviour", "fixture-serial"] {
            try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await host.callBytes(plugin: plugin, method: "nap", request: []) }
                }
                for try await answer in group { #expect(answer == [1]) }
            }
        }
        let behaviour = try #require(host.record(named: "fixture-behaviour")?.plugin as? IsolatedPlugin)
        let serial = try #require(host.record(named: "fixture-serial")?.plugin as? IsolatedPlugin)
        #expect(behaviour.processCount > 1)
        #expect(serial.processCount == 1)
        await host.shutdownAll()
    }

    @Test("a trusted plugin runs inside crmd")
    func trusted() async throws {
        let host = try await host(
            ["crmfixture-behaviour", "crmfixture-crash"],
            plugins: ["fixture-crash": .init(trusted: true)]
        )
        #expect(host.record(named: "fixture-behaviour")?.plugin?.isIsolated == true)
        #expect(host.record(named: "fixture-crash")?.plugin?.isIsolated == false)
        #expect(try await pid(host) == UInt32(getpid()))
        await host.shutdownAll()
    }

    @Test("stopping ends a call stuck in a plugin within the grace period")
    func shutdownWithStuckCall() async throws {
        let host = try await host(["crmfixture-loop-call"], cancelGrace: .milliseconds(500))
        let call = Task { try await host.callBytes(plugin: "fixture-loop-call", method: "loop", request: []) }
        try await Task.sleep(for: .milliseconds(200))
        host.cancelAllCalls()
        await host.shutdownAll()
        let error = await failure { try await call.value }
        #expect(error?.code == .cancelled, "\(String(describing: error))")
        let after = await failure { try await host.callBytes(plugin: "fixture-loop-call", method: "echo", request: []) }
        #expect(after?.code == .unavailable, "\(String(describing: after))")
    }
}
