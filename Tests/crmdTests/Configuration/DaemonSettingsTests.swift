import Foundation
import Logging
import Testing

@testable import crmd

/// Precedence, strongest first: flags, the file, systemd's environment, `./var`.
@Suite("DaemonSettings")
struct DaemonSettingsTests {
    typealias Flags = DaemonSettings.Flags

    let systemd = ["STATE_DIRECTORY": "/var/lib/crmd", "RUNTIME_DIRECTORY": "/run/crmd"]

    /// A file that sets every key.
    private func withFullFile(_ body: (String) throws -> Void) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try body(
            folder.write(
                "crmd.yaml",
                "daemon:\n  data_dir: /srv/file-data\n  socket: /srv/file.sock\n  log_level: warning\n"
            )
        )
    }

    @Test("nothing given: ./var, ./var/crmd.sock, info")
    func embeddedDefault() throws {
        let settings = try DaemonSettings.resolve(Flags(), environment: [:])
        #expect(settings == DaemonSettings(dataDirectory: "./var", socketPath: "./var/crmd.sock", logLevel: .info))
    }

    @Test("systemd's directories beat the default")
    func systemdEnvironment() throws {
        let settings = try DaemonSettings.resolve(Flags(), environment: systemd)
        #expect(settings.dataDirectory == "/var/lib/crmd")
        #expect(settings.socketPath == "/run/crmd/crmd.sock")
        #expect(settings.logLevel == .info)
    }

    @Test("only the first of several STATE_DIRECTORY and RUNTIME_DIRECTORY entries is crmd's")
    func colonSeparated() throws {
        let settings = try DaemonSettings.resolve(
            Flags(),
            environment: [
                "STATE_DIRECTORY": "/var/lib/crmd:/var/lib/crmd-backup", "RUNTIME_DIRECTORY": "/run/crmd:/run/other",
            ]
        )
        #expect(settings.dataDirectory == "/var/lib/crmd")
        #expect(settings.socketPath == "/run/crmd/crmd.sock")
    }

    @Test("without RUNTIME_DIRECTORY the socket goes in the data folder")
    func socketBesideData() throws {
        let settings = try DaemonSettings.resolve(Flags(), environment: ["STATE_DIRECTORY": "/var/lib/crmd"])
        #expect(settings.socketPath == "/var/lib/crmd/crmd.sock")
        let flagged = try DaemonSettings.resolve(Flags(dataDirectory: "/tmp/d"), environment: [:])
        #expect(flagged.socketPath == "/tmp/d/crmd.sock")
    }

    @Test("the file beats systemd's directories")
    func fileBeatsEnvironment() throws {
        try withFullFile { path in
            let settings = try DaemonSettings.resolve(Flags(configurationPath: path), environment: systemd)
            #expect(
                settings
                    == DaemonSettings(
                        dataDirectory: "/srv/file-data",
                        socketPath: "/srv/file.sock",
                        logLevel: .warning,
                        configurationPath: path
                    )
            )
        }
    }

    @Test("a file that sets only data_dir still takes the socket from RUNTIME_DIRECTORY")
    func partialFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("crmd.yaml", "daemon:\n  data_dir: /srv/file-data\n")
        let settings = try DaemonSettings.resolve(Flags(configurationPath: path), environment: systemd)
        #expect(settings.dataDirectory == "/srv/file-data")
        #expect(settings.socketPath == "/run/crmd/crmd.sock")
        let alone = try DaemonSettings.resolve(Flags(configurationPath: path), environment: [:])
        #expect(alone.socketPath == "/srv/file-data/crmd.sock")
    }

    @Test("flags beat the file and the environment, each on its own")
    func flagsBeatFile() throws {
        try withFullFile { path in
            let all = try DaemonSettings.resolve(
                Flags(configurationPath: path, dataDirectory: "/flag/data", socketPath: "/flag.sock", logLevel: .trace),
                environment: systemd
            )
            #expect(
                all
                    == DaemonSettings(
                        dataDirectory: "/flag/data",
                        socketPath: "/flag.sock",
                        logLevel: .trace,
                        configurationPath: path
                    )
            )

            let onlyLevel = try DaemonSettings.resolve(
                Flags(configurationPath: path, logLevel: .error),
                environment: systemd
            )
            #expect(onlyLevel.logLevel == .error)
            #expect(onlyLevel.dataDirectory == "/srv/file-data")
            #expect(onlyLevel.socketPath == "/srv/file.sock")

            let onlyData = try DaemonSettings.resolve(
                Flags(configurationPath: path, dataDirectory: "/flag/data"),
                environment: systemd
            )
            #expect(onlyData.dataDirectory == "/flag/data")
            #expect(onlyData.socketPath == "/srv/file.sock", "the file's socket is kept when only --data-dir is given")
            #expect(onlyData.logLevel == .warning)
        }
    }

    @Test("a bad file is an error naming the file and the key")
    func badFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = try folder.write("crmd.yaml", "daemon:\n  data_dir: /d\n  datadir: /e\n")
        #expect {
            try DaemonSettings.resolve(Flags(configurationPath: path), environment: systemd)
        } throws: { error in
            "\(error)" == "\(path): daemon.datadir: unknown key (known: data_dir, log_level, socket)"
        }
        #expect {
            try DaemonSettings.resolve(Flags(configurationPath: folder.path + "/missing.yaml"), environment: [:])
        } throws: { error in
            "\(error)".hasPrefix(folder.path + "/missing.yaml: cannot be read")
        }
    }

    @Test("summary: what --check-config prints")
    func summary() {
        let settings = DaemonSettings(
            dataDirectory: "/d",
            socketPath: "/s.sock",
            logLevel: .notice,
            configurationPath: "/c.yaml"
        )
        #expect(
            settings.summary.hasPrefix(
                "configuration file: /c.yaml\ndata_dir: /d\nsocket: /s.sock\nlog_level: notice\nplugin_dirs:\n"
                    + "  - /usr/lib/crmd/plugins\n  - /usr/local/lib/crmd/plugins\n  - "
            ),
            "\(settings.summary)"
        )
        #expect(settings.summary.hasSuffix(" (libcrmplugin-*.so only)"), "\(settings.summary)")
        let none = DaemonSettings(dataDirectory: "./var", socketPath: "./var/crmd.sock", logLevel: .info)
        #expect(none.summary.hasPrefix("configuration file: (none)\n"))
    }
}
