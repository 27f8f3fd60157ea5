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
