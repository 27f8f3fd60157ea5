import CRMDLauncher
import Foundation
import Testing

/// `crmd --check-config` and start-up with a bad file, run as the built executable.
@Suite("crmd --config")
struct CRMDCommandTests {
    @Test("--check-config prints the effective settings and exits 0, touching nothing")
    func checkConfig() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write(
            "crmd.yaml",
            "daemon:\n  data_dir: \(folder.path)/data\n  socket: \(folder.path)/api.sock\n  log_level: warning\n"
                + "plugins:\n  dirs: [/opt/crmd/plugins]\n"
        )
        let result = try await ManagedCrmd.run(["--config", file, "--check-config"], in: folder.path)
        #expect(result.exitCode == 0, "\(result)")
        #expect(
            result.stdout
                == """
                configuration file: \(file)
                data_dir: \(folder.path)/data
                socket: \(folder.path)/api.sock
                log_level: warning
                plugin_dirs:
                  - /opt/crmd/plugins
                configuration OK

                """,
            "\(result)"
        )
        #expect(result.stderr.isEmpty, "\(result)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.path + "/data"),
            "--check-config created the data folder"
        )
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/api.sock"))
    }

    @Test("--check-config shows the precedence: flag over file over STATE_DIRECTORY over ./var")
    func checkConfigPrecedence() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("crmd.yaml", "daemon:\n  socket: /run/from-file.sock\n  log_level: warning\n")
        let result = try await ManagedCrmd.run(
            ["--config", file, "--log-level", "error", "--check-config"],
            environment: ["STATE_DIRECTORY": "/var/lib/crmd:/var/lib/second", "RUNTIME_DIRECTORY": "/run/crmd"],
            in: folder.path
        )
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains("data_dir: /var/lib/crmd"), "\(result)")
        #expect(lines.contains("socket: /run/from-file.sock"), "\(result)")
        #expect(lines.contains("log_level: error"), "\(result)")

        let bare = try await ManagedCrmd.run(["--check-config"], in: folder.path)
        #expect(bare.exitCode == 0, "\(bare)")
        #expect(
            bare.stdout.hasPrefix(
                "configuration file: (none)\ndata_dir: ./var\nsocket: ./var/crmd.sock\nlog_level: info\n"
            ),
            "\(bare)"
        )
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/var"))
    }

    @Test(
        "a bad file: exit code 78 and one line on stderr naming the file and the key",
        arguments: [
            (
                "daemon:\n  sokcet: /run/crmd/crmd.sock\n",
                "daemon.sokcet: unknown key (known: data_dir, log_level, socket)"
            ),
            ("daemon:\n  log_level: verbose\n", "daemon.log_level: must be one of"),
            ("daemon:\n  data_dir: [a, b]\n", "daemon.data_dir: must be a non-empty string"),
            ("crmd:\n  data_dir: /d\n", "crmd: unknown section"),
        ]
    )
    func badFile(text: String, message: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("crmd.yaml", text)
        for arguments in [
            ["--config", file, "--check-config"], ["--config", file, "--data-dir", folder.path + "/data"],
        ] {
            let result = try await ManagedCrmd.run(arguments, in: folder.path)
            #expect(result.exitCode == 78, "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == 1, "\(arguments): expected one line: \(result)")
            #expect(result.stderr.hasPrefix("crmd: \(file): \(message)"), "\(arguments): \(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/data"))
    }

    @Test("invalid YAML: exit code 78, naming the file and where the YAML breaks")
    func invalidYAML() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try folder.write("crmd.yaml", "daemon:\n  data_dir: /d\n  socket: [unclosed\n")
        let result = try await ManagedCrmd.run(["--config", file, "--check-config"], in: folder.path)
        #expect(result.exitCode == 78, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("crmd: \(file): is not valid YAML: "), "\(result)")
        #expect(result.stderr.contains("line 3"), "the message does not say where: \(result)")
    }

    @Test("the shipped etc/crmd.yaml is valid")
    func shippedDefault() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let file = repository + "/etc/crmd.yaml"
        try #require(FileManager.default.fileExists(atPath: file), "no \(file)")
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try await ManagedCrmd.run(["--config", file, "--check-config"], in: folder.path)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.hasSuffix("configuration OK\n"), "\(result)")
    }

    @Test("a missing file: exit code 78 naming it")
    func missingFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try await ManagedCrmd.run(
            ["--config", folder.path + "/nope.yaml", "--check-config"],
            in: folder.path
        )
        #expect(result.exitCode == 78, "\(result)")
        #expect(result.stderr.hasPrefix("crmd: \(folder.path)/nope.yaml: cannot be read"), "\(result)")
    }
}
