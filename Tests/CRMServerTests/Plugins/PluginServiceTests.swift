import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

/// `crm.v1.PluginService` and `crmctl plugin` against a running crmd with a temp plugin folder.
@Suite("PluginService")
struct PluginServiceTests {
    private func plugin(_ list: [Crm_V1_Plugin], file: String) throws -> Crm_V1_Plugin {
        try #require(list.first { ($0.path as NSString).lastPathComponent == file }, "\(file) not listed")
    }

    @Test("ListPlugins: the samples ok, one disabled by configuration, each refusal with its reason; crmd serves on")
    func list() async throws {
        try await withPluginDaemon(
            products: PluginFolder.samples + PluginFolder.refusals + ["crmfixture-serial"],
            textFile: true,
            pluginsYAML: "  fixture-serial:\n    enabled: false\n  nearest-centroid:\n    settings: {unused: 1}\n"
        ) { daemon in
            let response = try await daemon.plugins.listPlugins(Crm_V1_ListPluginsRequest())
            #expect(response.pluginDirs == [daemon.folder.path])
            for product in PluginFolder.samples {
                let sample = try plugin(response.plugins, file: "lib\(product).so")
                #expect(sample.status == .ok, "\(sample.reason)")
                #expect(sample.kind == .analysis)
                #expect(sample.abiVersion == "1.0")
                #expect(sample.methods == ["describe", "train", "predict"])
                #expect(!sample.algorithms.isEmpty)
                #expect(sample.license == "Apache-2.0")
            }
            let disabled = try plugin(response.plugins, file: "libcrmfixture-serial.so")
            #expect(disabled.status == .disabled)
            #expect(disabled.name == "plugins/fixture-serial")
            let reasons = [
                "x.so": "not a loadable shared object", "libcrmfixture-wrong-magic.so": "wrong magic",
                "libcrmfixture-abi-major-2.so": "ABI major 2 is not supported",
                "libcrmfixture-abi-minor-99.so": "is newer than this host's",
                "libcrmfixture-no-entry.so": "missing entry symbol", "libcrmfixture-null-name.so": "name is NULL",
                "libcrmfixture-small-struct.so": "descriptor size 40",
                "libcrmfixture-duplicate-b.so": "duplicate name", "libcrmfixture-init-fails.so": "init failed",
            ]
            for (file, reason) in reasons {
                let refused = try plugin(response.plugins, file: file)
                #expect(refused.status == .error, "\(file)")
                #expect(refused.reason.contains(reason), "\(file): \(refused.reason)")
            }
            // The daemon goes on serving everything else.
            let stats = try await daemon.connection.admin.getStats(Crm_V1_GetStatsRequest())
            #expect(stats.customers == 0)
            #expect(daemon.logs.contains("plugin refused"))
            // A plugin's own log line (the `log` callback), attributed to it.
            #expect(
                daemon.logs.split(separator: "\n").contains {
                    $0.contains("plugin=fixture-duplicate") && $0.contains("fixture initialised")
                },
                "\(daemon.logs)"
            )
        }
    }

    @Test("GetPlugin and DescribePlugin go through the plugin boundary; unknown names are NOT_FOUND")
    func getAndDescribe() async throws {
        try await withPluginDaemon(products: PluginFolder.samples + ["crmfixture-init-fails"]) { daemon in
            let got = try await daemon.plugins.getPlugin(.with { $0.name = "plugins/gaussian-nb" })
            #expect(got.displayName == "gaussian-nb")
            #expect(got.status == .ok)

            var described = Crm_V1_DescribePluginResponse()
            let clock = ContinuousClock()
            let rounds = 200
            let elapsed = try await clock.measure {
                for _ in 0..<rounds {
                    described = try await daemon.plugins.describePlugin(.with { $0.name = "plugins/nearest-centroid" })
                }
            }
            #expect(described.methods == ["describe", "train", "predict"])
            #expect(described.algorithms.map(\.name).contains("nearest-centroid"))
            let baseline = try await clock.measure {
                for _ in 0..<rounds {
                    _ = try await daemon.plugins.getPlugin(.with { $0.name = "plugins/nearest-centroid" })
                }
            }
            print(
                "DescribePlugin round trip through crmd: \(elapsed / rounds) per call; "
                    + "GetPlugin (no plugin call): \(baseline / rounds) per call"
            )

            let c = try await daemon.plugins.describePlugin(.with { $0.name = "plugins/gaussian-nb" })
            #expect(c.algorithms.map(\.name) == ["gaussian-nb"])

            await expectCode(.notFound) {
                _ = try await daemon.plugins.getPlugin(.with { $0.name = "plugins/no-such-plugin" })
            }
            await expectCode(.invalidArgument) {
                _ = try await daemon.plugins.getPlugin(.with { $0.name = "gaussian-nb" })
            }
            await expectCode(.failedPrecondition) {
                _ = try await daemon.plugins.describePlugin(.with { $0.name = "plugins/fixture-init-fails" })
            }
        }
    }

    @Test("a gRPC caller that gives up cancels the plugin call behind it (is_cancelled turns true)")
    func cancellation() async throws {
        try await withPluginDaemon(products: ["crmfixture-slow-describe"]) { daemon in
            var options = CallOptions.defaults
            options.timeout = .milliseconds(300)
            let started = ContinuousClock.now
            await expectCode(.deadlineExceeded) {
                _ = try await daemon.plugins.describePlugin(
                    .with { $0.name = "plugins/fixture-slow-describe" },
                    options: options
                )
            }
            var cancelled = false
            while !cancelled, ContinuousClock.now - started < .seconds(5) {
                cancelled = daemon.logs.contains("describe cancelled")
                if !cancelled { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(cancelled, "the plugin never saw is_cancelled\n\(daemon.logs)")
            // The daemon and the plugin go on answering.
            let plugin = try await daemon.plugins.getPlugin(.with { $0.name = "plugins/fixture-slow-describe" })
            #expect(plugin.status == .ok)
        }
    }

    @Test("new plugin files appear after SIGHUP and after ReloadPlugins; loaded ones stay")
    func reload() async throws {
        try await withPluginDaemon(products: ["crmplugin-gaussian-nb"]) { daemon in
            try daemon.folder.add("crmfixture-behaviour")
            daemon.process.send(SIGHUP)
            var found = false
            for _ in 0..<100 where !found {
                let list = try await daemon.plugins.listPlugins(.init())
                found = list.plugins.contains { $0.displayName == "fixture-behaviour" && $0.status == .ok }
                if !found { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(found, "fixture-behaviour did not appear after SIGHUP")

            try daemon.folder.add("crmplugin-nearest-centroid")
            let reloaded = try await daemon.plugins.reloadPlugins(.init())
            #expect(reloaded.added == ["plugins/nearest-centroid"])
            #expect(reloaded.plugins.count == 3)
            #expect(reloaded.plugins.allSatisfy { $0.status == .ok })
            #expect(try await daemon.plugins.reloadPlugins(.init()).added.isEmpty)
        }
    }

    @Test("crmctl plugin list, get and reload")
    func crmctl() async throws {
        try await withPluginDaemon(products: PluginFolder.samples + ["crmfixture-wrong-magic"]) { daemon in
            let environment = ["CRMD_SOCKET": daemon.socketPath]
            let table = try await runCrmctl(
                ["plugin", "list", "-o", "table"],
                environment: environment,
                scratch: daemon.root
            )
            #expect(table.exitCode == 0, "\(table)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(
                lines.first?.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                    == ["NAME", "KIND", "VERSION", "ABI", "STATUS", "REASON/PATH"]
            )
            #expect(lines.contains { $0.hasPrefix("nearest-centroid") && $0.contains(" ok ") })
            #expect(
                lines.contains {
                    $0.hasPrefix("libcrmfixture-wrong-magic.so ") && $0.contains(" error ")
                        && $0.contains("wrong magic")
                }
            )

            let csv = try await runCrmctl(
                ["plugin", "list", "-o", "csv"],
                environment: environment,
                scratch: daemon.root
            )
            #expect(csv.stdout.hasPrefix("name,plugin,kind,version,abi_version,status,reason,path\n"), "\(csv)")
            #expect(csv.stdout.contains("plugins/gaussian-nb,gaussian-nb,analysis,1.0.0,1.0,ok,,"))

            let json = try await runCrmctl(
                ["plugin", "list", "-o", "json"],
                environment: environment,
                scratch: daemon.root
            )
            let decoded = try Crm_V1_ListPluginsResponse(jsonString: json.stdout)
            #expect(decoded.plugins.count == 3)

            let get = try await runCrmctl(
                ["plugin", "get", "gaussian-nb", "-o", "table"],
                environment: environment,
                scratch: daemon.root
            )
            #expect(get.exitCode == 0, "\(get)")
            #expect(get.stdout.contains("gaussian-nb"))
            let missing = try await runCrmctl(
                ["plugin", "get", "nope"],
                environment: environment,
                scratch: daemon.root
            )
            #expect(missing.exitCode == 3, "\(missing)")

            let reload = try await runCrmctl(
                ["plugin", "reload", "-o", "table"],
                environment: environment,
                scratch: daemon.root
            )
            #expect(reload.exitCode == 0, "\(reload)")
            #expect(reload.stderr.contains("no new plugin files"), "\(reload)")
        }
    }

    @Test("--plugin-dir adds a folder after the configured ones; --check-config shows the folders")
    func pluginDirFlag() async throws {
        let extra = try Daemon.makeTempDirectory(prefix: "crmd-pd")
        defer { try? FileManager.default.removeItem(atPath: extra) }
        try FileManager.default.createSymbolicLink(
            atPath: extra + "/libcrmfixture-behaviour.so",
            withDestinationPath: BuildProducts.directory + "/libcrmfixture-behaviour.so"
        )
        try await withPluginDaemon(products: ["crmplugin-gaussian-nb"], extraArguments: ["--plugin-dir", extra]) {
            daemon in
            let list = try await daemon.plugins.listPlugins(.init())
            #expect(list.pluginDirs == [daemon.folder.path, extra])
            #expect(list.plugins.map(\.displayName) == ["gaussian-nb", "fixture-behaviour"])
        }
        let check = try await runCommand(
            BuildProducts.crmd,
            ["--check-config", "--plugin-dir", extra],
            scratch: extra
        )
        #expect(check.exitCode == 0, "\(check)")
        #expect(
            check.stdout.contains("plugin_dirs:\n  - /usr/lib/crmd/plugins\n  - /usr/local/lib/crmd/plugins\n"),
            "\(check.stdout)"
        )
        #expect(check.stdout.contains("  - \(extra)\n"), "\(check.stdout)")
    }
}

private func expectCode(
    _ code: RPCError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(code), the call succeeded", sourceLocation: sourceLocation)
    } catch let error as RPCError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected an RPCError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
