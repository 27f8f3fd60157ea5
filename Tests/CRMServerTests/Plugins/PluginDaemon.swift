import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

/// A crmd started with a configuration file whose `plugins.dirs` is a temp folder of plugin
/// libraries (so it does not load the shipped plugins from the build folder), plus `--plugin-dir`
/// flags. Stopped with SIGTERM at the end; it must exit 0.
final class PluginDaemon: Sendable {
    let root: String
    let folder: PluginFolder
    let socketPath: String
    let process: ChildProcess
    let connection: Connection

    var plugins: Crm_V1_PluginService.Client<ClientTransport> { .init(wrapping: connection.grpc) }

    private init(root: String, folder: PluginFolder, process: ChildProcess, connection: Connection) {
        self.root = root
        self.folder = folder
        self.socketPath = root + "/crmd.sock"
        self.process = process
        self.connection = connection
    }

    var logs: String { (try? String(contentsOfFile: root + "/crmd.stderr.log", encoding: .utf8)) ?? "" }

    /// Starts crmd on a new temp folder whose `plugins/` holds `products`.
    static func start(
        products: [String],
        textFile: Bool = false,
        pluginsYAML: String = "",
        extraArguments: [String] = []
    ) async throws -> PluginDaemon {
        let root = try Daemon.makeTempDirectory(prefix: "crmd-pl")
        let folder = try PluginFolder(in: root, products: products)
        if textFile { try folder.addTextFile() }
        let config = root + "/crmd.yaml"
        try "plugins:\n  dirs: [\(folder.path)]\n\(pluginsYAML)".write(
            toFile: config,
            atomically: true,
            encoding: .utf8
        )
        let socket = root + "/crmd.sock"
        let process = try ManagedCrmd(
            .init(
                arguments: [
                    "--config", config, "--data-dir", root + "/data", "--socket", socket, "--log-level", "debug",
                ]
                    + extraArguments,
                standardOutput: root + "/crmd.stdout.log",
                standardError: root + "/crmd.stderr.log"
            )
        ).child
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < deadline {
            if let ended = process.terminated {
                throw HarnessError("crmd exited (\(ended)) before serving")
            }
            if Daemon.isSocket(socket) {
                let connection = try Connection(socketPath: socket)
                var options = CallOptions.defaults
                options.timeout = .seconds(2)
                if let answer = try? await connection.health.check(.init(), options: options),
                    answer.status == .serving
                {
                    return PluginDaemon(root: root, folder: folder, process: process, connection: connection)
                }
                await connection.close()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await process.killAndWait()
        throw HarnessError("crmd did not serve within 20 s")
    }

    /// SIGTERM; crmd must exit 0.
    func stop() async throws {
        await connection.close()
        process.send(SIGTERM)
        guard let ended = await process.waitForExit(timeout: .seconds(15)) else {
            await process.killAndWait()
            throw HarnessError("crmd did not exit within 15 s of SIGTERM")
        }
        guard ended == .exited(0) else { throw HarnessError("crmd ended with \(ended)") }
    }
}

/// Runs `body` with a ``PluginDaemon``; keeps its folder and records its log when anything fails.
func withPluginDaemon<R>(
    products: [String],
    textFile: Bool = false,
    pluginsYAML: String = "",
    extraArguments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (PluginDaemon) async throws -> R
) async throws -> R {
    try await DaemonSlots.shared.withSlot {
        let daemon = try await PluginDaemon.start(
            products: products,
            textFile: textFile,
            pluginsYAML: pluginsYAML,
            extraArguments: extraArguments
        )
        let result: R
        do {
            result = try await body(daemon)
        } catch {
            try? await daemon.stop()
            Issue.record(
                "test threw \(error); folder kept at \(daemon.root)\n\(daemon.logs)",
                sourceLocation: sourceLocation
            )
            throw error
        }
        try await daemon.stop()
        try? FileManager.default.removeItem(atPath: daemon.root)
        return result
    }
}
