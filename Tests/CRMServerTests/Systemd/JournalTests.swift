import CRMDLauncher
import CRMProto
import Foundation
import Testing

extension Systemd {
    /// Where crmd's log goes: the journal, with structured fields, only when
    /// `JOURNAL_STREAM` names its standard error; plain lines on stderr otherwise.
    @Suite("Journal")
    struct JournalTests {
        enum ForeignStream: String, CaseIterable, CustomTestStringConvertible {
            /// The device and inode of another file, as a child of a journal-logging parent inherits.
            case anotherFile
            case malformed

            var testDescription: String { rawValue }
        }

        @Test("JOURNAL_STREAM that does not name stderr: plain text on stderr", arguments: ForeignStream.allCases)
        func plainText(stream: ForeignStream) async throws {
            try await withServiceRun { run in
                let value: String
                switch stream {
                case .anotherFile:
                    let other = run.root + "/other.log"
                    _ = FileManager.default.createFile(atPath: other, contents: nil)
                    value = try Self.journalStream(of: other)
                case .malformed:
                    value = "journal"
                }
                try run.start(environment: ["JOURNAL_STREAM": value])
                _ = try await run.waitForReady()
                #expect(await run.waitForLog("crmd serving"), "stderr: \(run.crmd.standardError.suffix(2000))")
                #expect(run.crmd.standardError.contains("socket_activated=false"))
            }
        }

        /// Whether this process may make a private mount namespace and bind-mount over `/run/systemd`.
        static let canStandInForJournal: Bool = {
            guard FileManager.default.fileExists(atPath: "/run/systemd"),
                FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
            else { return false }
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            probe.arguments = [
                "--mount", "--propagation", "private", "/bin/sh", "-c", "mount --bind /tmp /run/systemd",
            ]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            do {
                try probe.run()
            } catch {
                return false
            }
            probe.waitUntilExit()
            return probe.terminationStatus == 0
        }()

        @Test(
            "JOURNAL_STREAM naming stderr: records go to the journal socket with structured fields",
            .enabled(
                if: canStandInForJournal,
                "needs a private mount namespace (unshare --mount, CAP_SYS_ADMIN) to stand in for /run/systemd/journal"
            )
        )
        func structuredFields() async throws {
            try await withServiceRun { run in
                // In crmd's own mount namespace /run/systemd is this folder, so
                // libsystemd's /run/systemd/journal/socket is the test's.
                let runSystemd = run.root + "/rs"
                try FileManager.default.createDirectory(
                    atPath: runSystemd + "/journal",
                    withIntermediateDirectories: true
                )
                let journal = try DatagramListener(path: runSystemd + "/journal/socket")
                defer { journal.close() }
                _ = FileManager.default.createFile(atPath: run.standardErrorPath, contents: nil)
                let stream = try Self.journalStream(of: run.standardErrorPath)
                let crmd = try run.start(environment: ["JOURNAL_STREAM": stream], runSystemd: runSystemd)
                _ = try await run.waitForReady()

                let serving = try await journal.waitFor(timeout: .seconds(10), sender: crmd) {
                    $0.journalEntry["MESSAGE"] == "crmd serving"
                }.datagram.journalEntry
                #expect(serving["PRIORITY"] == "5", "notice is priority 5: \(serving)")
                #expect(serving["SYSLOG_IDENTIFIER"] == "crmd")
                #expect(serving["SOCKET"] == run.socketPath)
                #expect(serving["DATA_DIR"] == run.dataDir)
                #expect(serving["SOCKET_ACTIVATED"] == "false")
                #expect(serving["VERSION"]?.isEmpty == false)
                #expect(
                    serving["CODE_FILE"]?.hasSuffix(".swift") == true,
                    "CODE_FILE: \(serving["CODE_FILE"] ?? "none")"
                )
                #expect(serving["CODE_LINE"].flatMap(Int.init) != nil, "CODE_LINE: \(serving["CODE_LINE"] ?? "none")")

                // One call: its record names the method and the caller (this process).
                let connection = try Connection(socketPath: run.socketPath)
                _ = try await connection.createCustomer(named: "Journal Reader")
                await connection.close()
                let call = try await journal.waitFor(timeout: .seconds(10), sender: crmd) {
                    $0.journalEntry["RPC"]?.hasSuffix("crm.v1.CustomerService/CreateCustomer") == true
                }.datagram.journalEntry
                // docs/configuration.md: `journalctl -u crmd RPC=/crm.v1.CustomerService/ImportCustomers`.
                #expect(call["RPC"] == "/crm.v1.CustomerService/CreateCustomer")
                #expect(call["PRIORITY"] == "7", "debug is priority 7: \(call)")
                #expect(call["PEER_UID"] == "\(getuid())")
                #expect(call["PEER_PID"] == "\(getpid())")
                #expect(call["DURATION_US"].flatMap(Int.init) != nil, "DURATION_US: \(call["DURATION_US"] ?? "none")")

                let ended = await crmd.stop()
                #expect(ended == .exited(0))
                _ = try await journal.waitFor(timeout: .seconds(5)) { $0.journalEntry["MESSAGE"] == "crmd stopped" }

                // Every record parses, with field names journald accepts from a client.
                for datagram in journal.datagrams {
                    let fields = try #require(
                        datagram.journalFields,
                        "not the native protocol: \(datagram.text.debugDescription)"
                    )
                    for (name, _) in fields {
                        #expect(
                            Self.isValidFieldName(name),
                            "field name \(name.debugDescription) in \(datagram.text.debugDescription)"
                        )
                    }
                    #expect(fields.filter { $0.name == "MESSAGE" }.count == 1)
                    #expect(fields.filter { $0.name == "PRIORITY" }.count == 1)
                }
                // The journal got the lines; stderr did not get them again.
                #expect(!crmd.standardError.contains("crmd serving"), "stderr: \(crmd.standardError.suffix(2000))")
            }
        }

        /// `device:inode` of a file, as `JOURNAL_STREAM` gives them.
        static func journalStream(of path: String) throws -> String {
            var info = stat()
            guard stat(path, &info) == 0 else { throw HarnessError("stat \(path): errno \(errno)") }
            return "\(info.st_dev):\(info.st_ino)"
        }

        /// journald's rule for fields a client sends: A–Z, 0–9 and `_`, not starting with `_`, at most 64 bytes.
        static func isValidFieldName(_ name: String) -> Bool {
            !name.isEmpty && name.utf8.count <= 64 && !name.hasPrefix("_")
                && name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
    }
}
