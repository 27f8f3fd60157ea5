import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Synchronization
import Testing

@Suite("The Unix socket and process lifecycle")
struct SocketTests {
    @Test("the socket is created with mode 0660")
    func socketMode() async throws {
        try await withDaemon { daemon in
            var info = stat()
            #expect(lstat(daemon.socketPath, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFSOCK, "not a socket")
            #expect(info.st_mode & 0o777 == 0o660, "mode \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    @Test("after kill -9 the stale socket file is replaced by a new daemon, and the data is still there")
    func staleSocket() async throws {
        try await withDaemon { daemon in
            let kept = try await daemon.createCustomer(Fixture.customer("Survivor", email: "survivor@example.com"))
            await daemon.kill9()
            #expect(Daemon.isSocket(daemon.socketPath), "the killed daemon left its socket file behind")

            try await daemon.launch()
            #expect(try await daemon.getCustomer(kept.name) == kept)
            var info = stat()
            #expect(lstat(daemon.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o660)
        }
    }

    @Test("SIGTERM during calls: the daemon drains, exits 0, and what was acknowledged is stored")
    func gracefulShutdown() async throws {
        try await DaemonSlots.shared.withSlot {
            let daemon = try await Daemon.start()
            let acknowledged = Collected<String>()
            // Writers keep calling while SIGTERM arrives.
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for index in 0..<1000 {
                            do {
                                let created = try await daemon.createCustomer(Fixture.customer("W\(writer)-\(index)"))
                                acknowledged.append(created.name)
                            } catch {
                                return
                            }
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(300))
                daemon.process?.send(SIGTERM)
                await group.waitForAll()
            }
            let ended = await daemon.process?.waitForExit(timeout: .seconds(15))
            #expect(ended == .exited(0), "after SIGTERM: \(String(describing: ended))\n\(daemon.logTail())")
            let names = acknowledged.value
            #expect(!names.isEmpty, "no call succeeded before SIGTERM")

            try await daemon.restart()
            let stored = Set(try await daemon.exportCustomers().map(\.name))
            #expect(
                Set(names).isSubset(of: stored),
                "\(Set(names).subtracting(stored).count) acknowledged customers lost"
            )
            try await daemon.stop()
            daemon.removeFiles()
        }
    }

    @Test("SIGINT stops the daemon cleanly too (exit 0), and the data is kept")
    func sigint() async throws {
        try await DaemonSlots.shared.withSlot {
            let daemon = try await Daemon.start()
            let kept = try await daemon.createCustomer(Fixture.customer("Interrupted"))
            try await daemon.stop(signal: SIGINT)
            try await daemon.launch()
            #expect(try await daemon.getCustomer(kept.name) == kept)
            try await daemon.stop()
            daemon.removeFiles()
        }
    }

    @Test("logs go to stderr, filtered by --log-level", arguments: ["debug", "warning"])
    func logLevel(_ level: String) async throws {
        try await withDaemon(logLevel: level) { daemon in
            try await daemon.createCustomer(Fixture.customer("Logged"))
            _ = try? await daemon.getCustomer("customers/999999")
            let stdout = try String(contentsOfFile: daemon.root + "/crmd-1.stdout.log", encoding: .utf8)
            #expect(stdout.isEmpty, "nothing on stdout: \(stdout.prefix(500))")
            let lines = try String(contentsOfFile: daemon.root + "/crmd-1.stderr.log", encoding: .utf8)
                .split(separator: "\n")
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            let seen = Set(lines.compactMap { line in line.split(separator: " ").dropFirst().first.map(String.init) })
                .intersection(levels)
            if level == "debug" {
                #expect(seen.contains("debug"), "debug lines at --log-level debug; saw \(seen)")
            } else {
                #expect(seen.isSubset(of: ["warning", "error", "critical"]), "below-warning lines: \(seen)")
            }
        }
    }

    @Test("crmd refuses a bad flag with a non-zero exit and a message")
    func badFlag() async throws {
        let root = try Daemon.makeTempDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await runCommand(
            BuildProducts.crmd,
            ["--log-level", "loud", "--data-dir", root + "/data", "--socket", root + "/s.sock"],
            scratch: root,
            timeout: .seconds(10)
        )
        #expect(result.exitCode != nil && result.exitCode != 0, "bad --log-level accepted: \(result)")
        #expect(!result.stderr.isEmpty, "no message for a bad flag")
    }
}

/// Values collected from concurrent tasks.
final class Collected<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) { storage.withLock { $0.append(element) } }

    var value: [Element] { storage.withLock { $0 } }
}
