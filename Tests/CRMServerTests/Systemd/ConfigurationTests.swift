import CRMProto
import Foundation
import Testing

extension Systemd {
    /// Where the running daemon takes its folders from: `--config`, flags,
    /// and systemd's `STATE_DIRECTORY` / `RUNTIME_DIRECTORY`
    /// (docs/configuration.md). The parsing itself is tested in crmdTests.
    @Suite("Configuration of the running daemon")
    struct ConfigurationTests {
        @Test("started with only --config, crmd uses the file's data_dir and socket")
        func fileSettings() async throws {
            try await withServiceRun { run in
                let dataDir = run.root + "/from-file"
                let socketPath = run.root + "/file.sock"
                try run.writeConfiguration(
                    """
                    # as /etc/crmd/crmd.yaml would say it
                    daemon:
                      data_dir: \(dataDir)
                      socket: \(socketPath)
                      log_level: debug
                    """
                )
                let crmd = try run.start(arguments: ["--config", run.configurationPath])
                let ready = try await run.waitForReady()
                #expect(ready.fields["STATUS"]?.contains(socketPath) == true, "STATUS: \(ready.fields["STATUS"] ?? "")")
                try await Self.expectServes(socketPath: socketPath)
                #expect(await crmd.stop() == .exited(0))

                #expect(
                    FileManager.default.fileExists(atPath: dataDir + "/crmd.sqlite3"),
                    "no database in the file's data_dir"
                )
                #expect(!FileManager.default.fileExists(atPath: run.root + "/var"), "crmd used the default ./var")
                #expect(!FileManager.default.fileExists(atPath: run.dataDir))
            }
        }

        @Test("flags override the file")
        func flagsOverrideFile() async throws {
            try await withServiceRun { run in
                try run.writeConfiguration(
                    """
                    daemon:
                      data_dir: \(run.root)/from-file
                      socket: \(run.root)/file.sock
                      log_level: error
                    """
                )
                let crmd = try run.start(arguments: ["--config", run.configurationPath] + run.flags)
                _ = try await run.waitForReady()
                try await Self.expectServes(socketPath: run.socketPath)
                #expect(await run.waitForLog("rpc ok"), "--log-level debug did not override log_level: error")
                #expect(await crmd.stop() == .exited(0))
                #expect(FileManager.default.fileExists(atPath: run.dataDir + "/crmd.sqlite3"))
                #expect(!FileManager.default.fileExists(atPath: run.root + "/from-file"))
                #expect(!FileManager.default.fileExists(atPath: run.root + "/file.sock"))
            }
        }

        @Test("without flags or file: the database in the first STATE_DIRECTORY, the socket in RUNTIME_DIRECTORY")
        func systemdDirectories() async throws {
            try await withServiceRun { run in
                // systemd creates both before starting the service.
                for folder in ["state", "state2", "run"] {
                    try FileManager.default.createDirectory(
                        atPath: "\(run.root)/\(folder)",
                        withIntermediateDirectories: false
                    )
                }
                let crmd = try run.start(
                    arguments: [],
                    environment: [
                        "STATE_DIRECTORY": "\(run.root)/state:\(run.root)/state2",
                        "RUNTIME_DIRECTORY": "\(run.root)/run",
                    ]
                )
                _ = try await run.waitForReady()
                try await Self.expectServes(socketPath: run.root + "/run/crmd.sock")
                #expect(await crmd.stop() == .exited(0))
                #expect(FileManager.default.fileExists(atPath: run.root + "/state/crmd.sqlite3"))
                #expect((try FileManager.default.contentsOfDirectory(atPath: run.root + "/state2")).isEmpty)
                #expect(!FileManager.default.fileExists(atPath: run.root + "/var"))
            }
        }

        @Test(
            "a bad file: crmd does not start, exits 78 (EX_CONFIG) with one line naming the key, and never says READY"
        )
        func badFile() async throws {
            try await withServiceRun { run in
                try run.writeConfiguration("daemon:\n  data_dir: \(run.dataDir)\n  sokcet: \(run.socketPath)\n")
                let crmd = try run.start(arguments: ["--config", run.configurationPath])
                let ended = await crmd.child.waitForExit(timeout: .seconds(20))
                #expect(ended == .exited(78), "\(String(describing: ended))")
                let lines = crmd.standardError.split(separator: "\n")
                #expect(
                    lines == [
                        "crmd: \(run.configurationPath): daemon.sokcet: unknown key (known: data_dir, log_level, socket)"
                    ],
                    "stderr: \(crmd.standardError)"
                )
                #expect(run.notify.datagrams.allSatisfy { $0.notification["READY"] == nil })
                #expect(
                    !FileManager.default.fileExists(atPath: run.dataDir),
                    "crmd created its data folder before checking the file"
                )
            }
        }

        /// One real call and a read-back over `socketPath`.
        static func expectServes(socketPath: String) async throws {
            let connection = try Connection(socketPath: socketPath)
            do {
                let created = try await connection.createCustomer(named: "Configured")
                #expect(try await connection.getCustomer(named: created.name) == created)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }
}
