import Logging
import Testing

@testable import crmd

@Suite("ConfigurationFile")
struct ConfigurationFileTests {
    /// Parses `text` as `crmd.yaml`, which must fail; returns the error.
    private func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
        do {
            let parsed = try ConfigurationFile.parse(text, path: "/etc/crmd/crmd.yaml")
            Issue.record("parsed as \(parsed), expected an error", sourceLocation: sourceLocation)
            return nil
        } catch let error as ConfigurationError {
            #expect(error.path == "/etc/crmd/crmd.yaml", sourceLocation: sourceLocation)
            #expect(
                "\(error)".hasPrefix("/etc/crmd/crmd.yaml: "),
                "the message does not start with the file: \(error)",
                sourceLocation: sourceLocation
            )
            return error
        } catch {
            Issue.record(
                "expected a ConfigurationError, got \(type(of: error)): \(error)",
                sourceLocation: sourceLocation
            )
            return nil
        }
    }

    @Test("a file with every key")
    func complete() throws {
        let file = try ConfigurationFile.parse(
            """
            # crmd's settings
            daemon:
              data_dir: /var/lib/crmd        # the database
              socket: "/run/crmd/crmd.sock"
              log_level: notice
            """,
            path: "crmd.yaml"
        )
        #expect(
            file
                == ConfigurationFile(
                    dataDirectory: "/var/lib/crmd",
                    socketPath: "/run/crmd/crmd.sock",
                    logLevel: .notice
                )
        )
    }

    @Test("storage: the key files and the attributes sealed beside streets; a bad attribute key is named")
    func storage() throws {
        let file = try ConfigurationFile.parse(
            """
            storage:
              key_file: /etc/crmd/storage-key
              previous_key_files: [/etc/crmd/old-key]
              sensitive_attributes: [income, health.notes]
            """,
            path: "crmd.yaml"
        )
        #expect(
            file.storage.keyFile == "/etc/crmd/storage-key" && file.storage.previousKeyFiles == ["/etc/crmd/old-key"]
        )
        #expect(file.storage.sensitiveAttributes == ["income", "health.notes"])
        for bad in [
            "sensitive_attributes: income", "sensitive_attributes: [\"in come\"]", "sensitive_attributes: [\"\"]",
        ] {
            let error = failure("storage:\n  \(bad)\n")
            #expect(error?.key == "storage.sensitive_attributes", "\(bad): \(String(describing: error))")
        }
    }

    @Test("every key is optional")
    func partial() throws {
        #expect(
            try ConfigurationFile.parse("daemon:\n  log_level: trace\n", path: "x")
                == ConfigurationFile(logLevel: .trace)
        )
        #expect(
            try ConfigurationFile.parse("daemon: {socket: /s.sock}", path: "x")
                == ConfigurationFile(socketPath: "/s.sock")
        )
    }

    @Test(
        "files that set nothing",
        arguments: ["", "\n\n", "# only a comment\n", "daemon:\n", "daemon: ~\n", "daemon:\n  # all commented out\n"]
    )
    func empty(text: String) throws {
        #expect(try ConfigurationFile.parse(text, path: "x.yaml") == ConfigurationFile())
    }

    @Test(
        "a document of nothing but its start marker sets nothing",
        arguments: ["---\n", "---\n# daemon:\n#   log_level: info\n"]
    )
    func documentMarkerOnly(text: String) throws {
        // Yams composes "---" alone as a null scalar: like an empty file, it sets nothing.
        let parsed = try ConfigurationFile.parse(text, path: "x.yaml")
        #expect(parsed == ConfigurationFile())
    }

    @Test("every log level by its name", arguments: Logger.Level.allCases)
    func logLevels(level: Logger.Level) throws {
        #expect(try ConfigurationFile.parse("daemon:\n  log_level: \(level.rawValue)\n", path: "x").logLevel == level)
    }

    @Test("an unknown key is named, with the known ones")
    func unknownKey() throws {
        let error = try #require(failure("daemon:\n  data_dir: /d\n  sokcet: /run/crmd/crmd.sock\n"))
        #expect(error.key == "daemon.sokcet")
        #expect("\(error)" == "/etc/crmd/crmd.yaml: daemon.sokcet: unknown key (known: data_dir, log_level, socket)")
    }

    @Test("an unknown section is named")
    func unknownSection() throws {
        let error = try #require(failure("daemon:\n  data_dir: /d\nserver:\n  port: 80\n"))
        #expect(error.key == "server")
        #expect("\(error)".contains("unknown section"), "\(error)")
    }

    @Test("a bad log level names the key, the allowed values and the value given")
    func badLogLevel() throws {
        let error = try #require(failure("daemon:\n  log_level: verbose\n"))
        #expect(error.key == "daemon.log_level")
        #expect(
            "\(error)"
                == "/etc/crmd/crmd.yaml: daemon.log_level: must be one of trace, debug, info, notice, warning, error, critical, not \"verbose\""
        )
        // Names are exact: no case folding, no numbers.
        #expect(failure("daemon:\n  log_level: INFO\n")?.key == "daemon.log_level")
        #expect(failure("daemon:\n  log_level: 3\n")?.key == "daemon.log_level")
    }

    @Test(
        "a value that is not a string names its key",
        arguments: [
            ("data_dir: [/a, /b]", "daemon.data_dir"),
            ("data_dir: {path: /a}", "daemon.data_dir"),
            ("data_dir: \"\"", "daemon.data_dir"),
            ("data_dir:", "daemon.data_dir"),
            ("socket: [/s]", "daemon.socket"),
            ("socket:", "daemon.socket"),
            ("log_level: [info]", "daemon.log_level"),
            ("log_level:", "daemon.log_level"),
        ]
    )
    func notAString(entry: String, key: String) throws {
        let error = try #require(failure("daemon:\n  \(entry)\n"))
        #expect(error.key == key, "\(error)")
        #expect("\(error)".contains(key), "\(error)")
    }

    @Test("a YAML null is not a path", arguments: ["data_dir: ~", "data_dir: null", "socket: ~", "socket: Null"])
    func nullValue(entry: String) throws {
        let error = try #require(failure("daemon:\n  \(entry)\n"))
        #expect(error.key == "daemon." + String(entry.prefix { $0 != ":" }))
    }

    @Test("a quoted \"~\" is a string like any other")
    func quotedTilde() throws {
        #expect(try ConfigurationFile.parse("daemon:\n  data_dir: '~'\n", path: "x").dataDirectory == "~")
    }

    @Test("a section that is not a mapping", arguments: ["daemon: /var/lib/crmd", "daemon: [a, b]"])
    func sectionNotMapping(text: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == "daemon", "\(error)")
    }

    @Test("a document that is not a mapping of sections", arguments: ["- daemon", "just words", "42"])
    func notSections(text: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == nil, "\(error)")
        #expect("\(error)".contains("must be a mapping of sections"), "\(error)")
    }

    @Test(
        "invalid YAML names the file",
        arguments: [
            "daemon: [unclosed", "daemon:\n  data_dir: /a\n   socket: /b\n", "daemon:\n\tdata_dir: /a\n", "a: 'x",
        ]
    )
    func invalidYAML(text: String) throws {
        let error = try #require(failure(text))
        #expect(error.key == nil)
        #expect("\(error)".contains("not valid YAML"), "\(error)")
    }

    @Test("load: a missing file names its path")
    func missingFile() throws {
        do {
            _ = try ConfigurationFile.load(path: "/nonexistent/crmd.yaml")
            Issue.record("a missing file loaded")
        } catch let error as ConfigurationError {
            #expect(error.path == "/nonexistent/crmd.yaml")
            #expect("\(error)".hasPrefix("/nonexistent/crmd.yaml: cannot be read"), "\(error)")
        }
    }
}
