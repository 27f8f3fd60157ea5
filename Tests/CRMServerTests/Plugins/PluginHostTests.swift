import CRMProto
import Foundation
import GRPCCore
import Logging
import Synchronization
import Testing

@testable import CRMServer

/// The plugin host on its own, in the test process: loading, refusals, and calls into plugins
/// (errors, undecodable bytes, cancellation, SERIAL).
@Suite("PluginHost")
struct PluginHostTests {
    /// A host scanning a temp folder holding `products`; returns it with the folder.
    private func host(
        _ products: [String],
        textFile: Bool = false,
        plugins: [String: PluginHostConfiguration.Plugin] = [:]
    ) async throws -> (PluginHost, PluginFolder) {
        let root = try Daemon.makeTempDirectory(prefix: "crmd-plugins")
        let folder = try PluginFolder(in: root, products: products)
        if textFile { try folder.addTextFile() }
        let host = PluginHost(
            configuration: PluginHostConfiguration(folders: [.init(path: folder.path)], plugins: plugins),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        await host.scan()
        return (host, folder)
    }

    private func record(_ host: PluginHost, file: String) throws -> PluginRecord {
        try #require(host.records.first { ($0.path as NSString).lastPathComponent == file }, "no record of \(file)")
    }

    @Test("the two samples load; each refusal is an error record with its reason")
    func refusals() async throws {
        let (host, folder) = try await host(PluginFolder.samples + PluginFolder.refusals, textFile: true)
        defer { try? FileManager.default.removeItem(atPath: (folder.path as NSString).deletingLastPathComponent) }

        for product in PluginFolder.samples {
            let sample = try record(host, file: "lib\(product).so")
            #expect(sample.status == .ok, "\(product): \(sample.reason)")
            #expect(sample.abiVersion == "1.0")
            #expect(sample.offers.methods.contains("train"))
        }
        #expect(host.loadedCount == 3)  // the samples and duplicate-a

        let expected: [(String, String)] = [
            ("x.so", "not a loadable shared object"),
            ("libcrmfixture-wrong-magic.so", "wrong magic 0xDEADBEEF"),
            ("libcrmfixture-abi-major-2.so", "ABI major 2 is not supported"),
            ("libcrmfixture-abi-minor-99.so", "ABI 1.99 is newer than this host's 1.0"),
            ("libcrmfixture-no-entry.so", "missing entry symbol crm_plugin_entry"),
            ("libcrmfixture-null-name.so", "name is NULL"),
            ("libcrmfixture-small-struct.so", "descriptor size 40 is smaller"),
            ("libcrmfixture-duplicate-b.so", "duplicate name \"fixture-duplicate\": already loaded from"),
            ("libcrmfixture-init-fails.so", "init failed (unavailable): the fixture's backend is unreachable"),
        ]
        for (file, reason) in expected {
            let refused = try record(host, file: file)
            #expect(refused.status == .error, "\(file)")
            #expect(refused.reason.contains(reason), "\(file): \(refused.reason)")
        }
        #expect(try record(host, file: "libcrmfixture-duplicate-a.so").status == .ok)
        #expect(try record(host, file: "libcrmfixture-abi-major-2.so").abiVersion == "2.0")
    }

    @Test("a plugin disabled in the configuration is listed as disabled and not initialised")
    func disabled() async throws {
        let (host, _) = try await host(
            PluginFolder.samples,
            plugins: ["gaussian-nb": .init(enabled: false)]
        )
        let record = try #require(host.record(named: "gaussian-nb"))
        #expect(record.status == .disabled)
        #expect(record.plugin == nil)
        await #expect(throws: RPCError.self) {
            _ = try await host.callBytes(plugin: "gaussian-nb", method: "describe", request: [])
        }
    }

    @Test("a rescan loads new files and keeps the plugins already loaded")
    func rescan() async throws {
        let (host, folder) = try await host(["crmplugin-gaussian-nb"])
        let before = try #require(host.record(named: "gaussian-nb")?.plugin)
        try folder.add("crmfixture-behaviour")
        let added = await host.scan()
        #expect(added == ["plugins/fixture-behaviour"])
        #expect(host.record(named: "gaussian-nb")?.plugin === before)
        #expect(await host.scan().isEmpty)
    }

    @Test("a plugin's error becomes its gRPC code and message")
    func pluginError() async throws {
        let (host, _) = try await host(["crmfixture-behaviour"])
        do {
            _ = try await host.callBytes(plugin: "fixture-behaviour", method: "fail", request: [])
            Issue.record("the call succeeded")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("fixture failure: as asked"), "\(error.message)")
        }
        do {
            _ = try await host.callBytes(plugin: "fixture-behaviour", method: "no-such-method", request: [])
            Issue.record("the call succeeded")
        } catch let error as RPCError {
            #expect(error.code == .unimplemented)
        }
        let echoed = try await host.callBytes(plugin: "fixture-behaviour", method: "echo", request: [1, 2, 3])
        #expect(echoed == [1, 2, 3])
    }

    @Test("undecodable response bytes are INTERNAL for that call only")
    func undecodable() async throws {
        let (host, _) = try await host(["crmfixture-behaviour"])
        do {
            _ = try await host.call(
                plugin: "fixture-behaviour",
                method: "garbage",
                request: Crm_V1_ListPluginsRequest(),
                as: Crm_V1_Plugin.self
            )
            Issue.record("the call succeeded")
        } catch let error as RPCError {
            #expect(error.code == .internalError)
            #expect(error.message.contains("crm.v1.Plugin"), "\(error.message)")
        }
        let echoed = try await host.call(
            plugin: "fixture-behaviour",
            method: "echo",
            request: Crm_V1_GetPluginRequest.with { $0.name = "plugins/x" },
            as: Crm_V1_GetPluginRequest.self
        )
        #expect(echoed.name == "plugins/x")
    }

    @Test("cancelling the calling task makes is_cancelled true; the plugin stops with CANCELLED")
    func cancellation() async throws {
        let (host, _) = try await host(["crmfixture-behaviour"])
        let progress = Mutex<[Double]>([])
        let started = ContinuousClock.now
        let call = Task {
            try await host.callBytes(plugin: "fixture-behaviour", method: "slow", request: []) { fraction, _ in
                progress.withLock { $0.append(fraction) }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("the slow call was not cancelled")
        } catch let error as RPCError {
            #expect(error.code == .cancelled)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(!progress.withLock { $0.isEmpty })
    }

    @Test("calls of a SERIAL plugin never overlap; others run concurrently")
    func serial() async throws {
        // "nap" counts the calls running at once in ONE process: only a trusted (in-crmd) plugin can show
        // concurrency that way. Isolated plugins run concurrent calls in several processes
        // (PluginIsolationTests.pool).
        let (host, _) = try await host(
            ["crmfixture-behaviour", "crmfixture-serial"],
            plugins: ["fixture-behaviour": .init(trusted: true)]
        )
        func mostAtOnce(_ plugin: String) async throws -> UInt8 {
            try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<4 {
                    group.addTask { try await host.callBytes(plugin: plugin, method: "nap", request: []) }
                }
                var most: UInt8 = 0
                for try await answer in group { most = max(most, answer.first ?? 0) }
                return most
            }
        }
        #expect(try await mostAtOnce("fixture-serial") == 1)
        #expect(try await mostAtOnce("fixture-behaviour") > 1)
    }
}
