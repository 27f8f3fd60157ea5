import CRMServer
import Testing

@testable import crmd

/// The `plugins` section of crmd.yaml, `--plugin-dir`, and the default plugin folders.
@Suite("Plugin configuration")
struct PluginConfigurationTests {
    private func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
        do {
            let parsed = try ConfigurationFile.parse(text, path: "/etc/crmd/crmd.yaml")
            Issue.record("parsed as \(parsed), expected an error", sourceLocation: sourceLocation)
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("expected a ConfigurationError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    @Test("dirs, a disabled plugin, and settings passed to init as text")
    func complete() throws {
        let file = try ConfigurationFile.parse(
            """
            plugins:
              dirs: [/opt/crmd/plugins, "/srv/plugins"]
              odoo:
                enabled: false
              decision-tree:
                settings:
                  max_rows: 100000
                  verbose: true
                  url: https://example.com
              svm: {}
              mlp: ~
            """,
            path: "crmd.yaml"
        )
        #expect(file.pluginDirectories == ["/opt/crmd/plugins", "/srv/plugins"])
        #expect(file.plugins["odoo"] == PluginHostConfiguration.Plugin(enabled: false))
        #expect(
            file.plugins["decision-tree"]
                == PluginHostConfiguration.Plugin(
                    settings: ["max_rows": "100000", "verbose": "true", "url": "https://example.com"]
                )
        )
        #expect(file.plugins["svm"] == PluginHostConfiguration.Plugin())
        #expect(file.plugins["mlp"] == PluginHostConfiguration.Plugin())
    }

    @Test(
        "unknown and bad keys are named",
        arguments: [
            ("plugins:\n  dir: [/a]\n", "plugins.dir", "the only other key is dirs"),
            ("plugins:\n  Odoo:\n    enabled: false\n", "plugins.Odoo", "unknown key"),
            ("plugins:\n  odoo:\n    enable: false\n", "plugins.odoo.enable", "unknown key (known: enabled, settings)"),
            ("plugins:\n  odoo:\n    enabled: maybe\n", "plugins.odoo.enabled", "must be true or false"),
            ("plugins:\n  odoo:\n    settings: [a]\n", "plugins.odoo.settings", "must be a mapping"),
            ("plugins:\n  odoo:\n    settings:\n      k: [1, 2]\n", "plugins.odoo.settings.k", "must be a scalar"),
            ("plugins:\n  dirs: /a\n", "plugins.dirs", "must be a list"),
            ("plugins:\n  dirs: [~]\n", "plugins.dirs", "non-empty paths"),
            ("plugins:\n  odoo: yes\n", "plugins.odoo", "must be a mapping (enabled, settings)"),
        ]
    )
    func badKeys(text: String, key: String, problem: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == key)
        #expect("\(error)".contains(problem), "\(error)")
    }

    @Test("without configuration: the installed folders, then crmd's own folder (shipped plugins only)")
    func defaults() throws {
        let settings = try DaemonSettings.resolve(DaemonSettings.Flags(), environment: [:])
        let folders = settings.pluginFolders(executableDirectory: "/build/debug")
        #expect(
            folders == [
                .init(path: "/usr/lib/crmd/plugins"), .init(path: "/usr/local/lib/crmd/plugins"),
                .init(path: "/build/debug", shippedPluginsOnly: true),
            ]
        )
    }

    @Test("the file's dirs replace the defaults; --plugin-dir adds after them, without repeats")
    func flagsAdd() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "crmd.yaml",
            "plugins:\n  dirs: [/opt/p]\n  odoo:\n    enabled: false\n"
        )
        let settings = try DaemonSettings.resolve(
            DaemonSettings.Flags(configurationPath: path, pluginDirectories: ["/extra", "/opt/p/", "/extra"]),
            environment: [:]
        )
        #expect(settings.pluginFolders(executableDirectory: "/x").map(\.path) == ["/opt/p", "/extra"])
        #expect(settings.pluginHostConfiguration.plugins["odoo"]?.enabled == false)
        #expect(settings.summary.contains("plugin_dirs:\n  - /opt/p\n  - /extra\nplugins: odoo (disabled)"))
    }
}

/// The `plugin_host` section and the per-plugin process settings (trusted, limits, workers).
@Suite("Plugin host configuration")
struct PluginHostConfigurationTests {
    @Test("plugin_host and per-plugin limits reach the plugin host's configuration")
    func complete() throws {
        let file = try ConfigurationFile.parse(
            """
            plugin_host:
              executable: /usr/libexec/crmd/crmd-plugin-host
              init_timeout: 3s
              cancel_grace: 500ms
              memory_limit: 2GiB
              cpu_limit: 600
              workers: 2
            plugins:
              svm:
                memory_limit: 512MiB
                cpu_limit: none
                workers: 8
              nearest-centroid:
                trusted: true
            """,
            path: "/etc/crmd/crmd.yaml"
        )
        let settings = try DaemonSettings.resolve(.init(), environment: [:])
        var withFile = settings
        withFile.plugins = file.plugins
        withFile.pluginHost = file.pluginHost
        let configuration = withFile.pluginHostConfiguration
        #expect(configuration.hostExecutable == "/usr/libexec/crmd/crmd-plugin-host")
        #expect(configuration.initTimeout == .seconds(3))
        #expect(configuration.cancelGrace == .milliseconds(500))
        #expect(configuration.memoryLimit == 2 << 30)
        #expect(configuration.cpuLimit == 600)
        #expect(configuration.workers == 2)
        #expect(file.plugins["svm"] == .init(memoryLimit: 512 << 20, cpuLimit: 0, workers: 8))
        #expect(file.plugins["nearest-centroid"] == .init(trusted: true))
        let svm = configuration.limits(of: "svm", serial: false)
        #expect(svm.memory == 512 << 20 && svm.cpu == 0 && svm.workers == 8)
        let other = configuration.limits(of: "gaussian-nb", serial: true)
        #expect(other.memory == 2 << 30 && other.cpu == 600 && other.workers == 1)
    }

    @Test("bad values name the key")
    func badValues() {
        let cases: [(String, String, String)] = [
            ("plugin_host:\n  init_timeout: forever\n", "plugin_host.init_timeout", "must be a duration"),
            ("plugin_host:\n  memory_limit: 4TB\n", "plugin_host.memory_limit", "must be a size"),
            ("plugin_host:\n  executable: crmd-plugin-host\n", "plugin_host.executable", "absolute path"),
            ("plugin_host:\n  workers: 0\n", "plugin_host.workers", "from 1 to 64"),
            ("plugin_host:\n  grace: 1s\n", "plugin_host.grace", "unknown key"),
            ("plugins:\n  svm:\n    trusted: maybe\n", "plugins.svm.trusted", "must be true or false"),
            ("plugins:\n  svm:\n    cpu_limit: 1.5\n", "plugins.svm.cpu_limit", "whole number of seconds"),
        ]
        for (text, key, problem) in cases {
            do {
                _ = try ConfigurationFile.parse(text, path: "/c.yaml")
                Issue.record("\(key): parsed, expected an error")
            } catch let error as ConfigurationError {
                #expect(error.key == key, "\(error)")
                #expect(error.problem.contains(problem), "\(error)")
            } catch {
                Issue.record("\(key): \(error)")
            }
        }
    }
}
