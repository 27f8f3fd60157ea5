import ArgumentParser
import CRMProto
import GRPCCore
import SwiftProtobuf

/// `crmctl plugin …`: the plugins crmd found, like `ctr plugins ls`.
struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "List crmd's plugins, show one, or rescan the plugin folders.",
        subcommands: [List.self, Get.self, Reload.self]
    )

    static let headers = ["NAME", "KIND", "VERSION", "ABI", "STATUS", "REASON/PATH"]

    static func row(_ plugin: Crm_V1_Plugin) -> [String] {
        [
            plugin.displayName.isEmpty ? String(plugin.name.dropFirst("plugins/".count)) : plugin.displayName,
            kind(plugin.kind),
            plugin.version.isEmpty ? "-" : plugin.version, plugin.abiVersion.isEmpty ? "-" : plugin.abiVersion,
            status(plugin.status), plugin.status == .ok ? plugin.path : "\(plugin.reason) (\(plugin.path))",
        ]
    }

    static func kind(_ kind: Crm_V1_Plugin.Kind) -> String {
        switch kind {
        case .analysis: "analysis"
        case .connector: "connector"
        default: "-"
        }
    }

    static func status(_ status: Crm_V1_Plugin.Status) -> String {
        switch status {
        case .ok: "ok"
        case .disabled: "disabled"
        case .error: "error"
        default: "-"
        }
    }

    /// The plugins as a table, JSON (the response) or CSV.
    static func print(_ plugins: [Crm_V1_Plugin], response: some SwiftProtobuf.Message, options: ClientOptions) throws {
        switch options.format {
        case .table, .wide:
            Terminal.write(TextTable(headers: headers, rows: plugins.map(row), maxColumnWidth: 100).render())
        case .json:
            Terminal.write(try Printer.json(response))
        case .csv:
            var writer = CSVWriter()
            writer.write(["name", "plugin", "kind", "version", "abi_version", "status", "reason", "path"])
            for plugin in plugins {
                writer.write([
                    plugin.name, plugin.displayName, kind(plugin.kind), plugin.version, plugin.abiVersion,
                    status(plugin.status), plugin.reason, plugin.path,
                ])
            }
            Terminal.write(writer.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every plugin library found: ok, disabled, or error with the reason.",
            aliases: ["ls"]
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_PluginService.Client(wrapping: client).listPlugins(Crm_V1_ListPluginsRequest())
            }
            try PluginCommand.print(response.plugins, response: response, options: options)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one plugin and what it offers.")

        @OptionGroup var options: ClientOptions
        @Argument(help: ArgumentHelp("The plugin's name, or plugins/{name}.", valueName: "name"))
        var name: String

        func run() async throws {
            let resource = name.hasPrefix("plugins/") ? name : "plugins/" + name
            let plugin = try await Daemon.withClient(options) { client in
                try await Crm_V1_PluginService.Client(wrapping: client).getPlugin(
                    Crm_V1_GetPluginRequest.with { $0.name = resource }
                )
            }
            try options.printer.fields(
                plugin,
                [
                    ("name", plugin.name), ("plugin", plugin.displayName), ("kind", PluginCommand.kind(plugin.kind)),
                    ("version", plugin.version), ("abi_version", plugin.abiVersion),
                    ("status", PluginCommand.status(plugin.status)), ("reason", plugin.reason),
                    ("path", plugin.path), ("description", plugin.description_p), ("license", plugin.license),
                    ("serial", plugin.serial ? "yes" : "no"), ("methods", plugin.methods.joined(separator: ", ")),
                    ("algorithms", plugin.algorithms.map(\.name).joined(separator: ", ")),
                ]
            )
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rescan the plugin folders and load new plugin files (as SIGHUP does)."
        )

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let response = try await Daemon.withClient(options) { client in
                try await Crm_V1_PluginService.Client(wrapping: client).reloadPlugins(Crm_V1_ReloadPluginsRequest())
            }
            if options.format == .table {
                Terminal.warn(
                    response.added.isEmpty
                        ? "no new plugin files" : "new: " + response.added.joined(separator: ", ")
                )
            }
            try PluginCommand.print(response.plugins, response: response, options: options)
        }
    }
}
