import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

extension Systemd {
    /// Socket activation (`sd_listen_fds(3)`), with systemd's own tool in the
    /// part of `crmd.socket`: it binds the socket, waits for the first
    /// connection, then execs crmd with `LISTEN_FDS=1`, `LISTEN_PID` and
    /// `LISTEN_FDNAMES=api`.
    @Suite("Socket activation")
    struct SocketActivationTests {
        static let tool = ["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        /// Skipped without the tool, except in CI (`CI` set), where its absence is a failure.
        static var runs: Bool { tool != nil || ProcessInfo.processInfo.environment["CI"] != nil }

        @Test(
            "crmd starts on the first connection and serves real calls through the inherited socket",
            .enabled(if: runs, "systemd-socket-activate is not installed (package systemd)")
        )
        func firstConnectionStartsCrmd() async throws {
            let tool = try #require(
                Self.tool,
                "systemd-socket-activate is not installed (package systemd), and CI is set"
            )
            try await DaemonSlots.shared.withSlot {
                let root = try Daemon.makeTempDirectory(prefix: "crmda")
                let socketPath = root + "/api.sock"
                let dataDir = root + "/data"
                let crmd = try ManagedCrmd(
                    .init(
                        arguments: ["--data-dir", dataDir, "--socket", socketPath, "--log-level", "debug"],
                        wrapper: [tool, "--listen=\(socketPath)", "--fdname=api"],
                        currentDirectory: root,
                        standardOutput: root + "/crmd.stdout.log",
                        standardError: root + "/crmd.stderr.log"
                    )
                )
                var keep = false
                defer {
                    if !keep { try? FileManager.default.removeItem(atPath: root) }
                }
                do {
                    try await Self.exercise(crmd, socketPath: socketPath, dataDir: dataDir)
                } catch {
                    keep = true
                    await crmd.child.killAndWait()
                    Issue.record("\(error); folder kept at \(root)\n--- stderr ---\n\(crmd.standardError.suffix(6000))")
                    throw error
                }
            }
        }

        private static func exercise(_ crmd: ManagedCrmd, socketPath: String, dataDir: String) async throws {
            // The tool binds the socket; crmd is not started until someone connects.
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            while !Daemon.isSocket(socketPath) {
                if let reason = crmd.exitReason { throw HarnessError(reason) }
                guard ContinuousClock.now < deadline else { throw HarnessError("\(socketPath) never appeared") }
                try await Task.sleep(for: .milliseconds(20))
            }
            var before = stat()
            #expect(lstat(socketPath, &before) == 0)
            try await Task.sleep(for: .milliseconds(300))
            #expect(!FileManager.default.fileExists(atPath: dataDir), "crmd started before the first connection")

            let connection = try Connection(socketPath: socketPath)
            var options = CallOptions.defaults
            options.timeout = .seconds(30)
            var request = Crm_V1_CreateCustomerRequest()
            request.customer = Fixture.customer("Grace Hopper", email: "grace@example.com")
            let created = try await connection.customers.createCustomer(request, options: options)
            #expect(created.displayName == "Grace Hopper")
            #expect(try await connection.getCustomer(named: created.name) == created)
            await connection.close()

            // crmd served on the inherited socket and did not bind one of its own.
            var after = stat()
            #expect(lstat(socketPath, &after) == 0)
            #expect(after.st_ino == before.st_ino, "the socket file was replaced: crmd bound its own socket")
            #expect(FileManager.default.fileExists(atPath: dataDir + "/crmd.sqlite3"))
            let log = crmd.standardError
            #expect(log.contains("crmd serving") && log.contains("socket_activated=true"), "\(log.suffix(4000))")

            let ended = await crmd.stop(signal: SIGTERM)
            #expect(
                ended == .exited(0),
                "after SIGTERM: \(String(describing: ended))\n\(crmd.standardError.suffix(4000))"
            )
        }
    }
}
