import CRMProto
import Foundation
import GRPCCore
import Testing

extension Systemd {
    /// The notification protocol (`sd_notify(3)`) as crmd speaks it to
    /// `NOTIFY_SOCKET`: READY, STATUS, MAINPID, WATCHDOG, RELOADING and STOPPING.
    @Suite("Notifications")
    struct NotifyTests {
        @Test("READY=1 comes once the socket answers, with MAINPID and a STATUS a person can read")
        func ready() async throws {
            try await withServiceRun { run in
                let crmd = try run.start()
                let ready = try await run.waitForReady()
                // At once, and without waiting for the connection: READY means serving.
                let connection = try Connection(socketPath: run.socketPath)
                let status: Grpc_Health_V1_HealthCheckResponse.ServingStatus
                do {
                    status = try await connection.servingStatusNow()
                } catch {
                    Issue.record("the socket does not answer when READY=1 arrives: \(error)")
                    status = .unknown
                }
                #expect(status == .serving)
                await connection.close()

                #expect(ready.fields["MAINPID"] == "\(crmd.pid)", "\(ready.datagram.text.debugDescription)")
                let line = try #require(
                    ready.fields["STATUS"],
                    "READY=1 without STATUS=: \(ready.datagram.text.debugDescription)"
                )
                #expect(line.contains(run.socketPath), "STATUS does not name the socket: \(line)")
                #expect(line.contains("0 customers"), "STATUS does not count the customers: \(line)")
                #expect(line.contains("orders") && line.contains("interactions"), "STATUS: \(line)")
                #expect(line.hasSuffix(" plugins"), "STATUS does not count the loaded plugins: \(line)")
                #expect(
                    !line.contains("\n") && line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F },
                    "STATUS: \(line.debugDescription)"
                )
                // Nothing claims readiness before it.
                #expect(run.notify.datagrams[..<ready.index].allSatisfy { $0.notification["READY"] == nil })
            }
        }

        @Test("SIGTERM: STOPPING=1, then exit code 0")
        func stopping() async throws {
            try await withServiceRun { run in
                let crmd = try run.start()
                let ready = try await run.waitForReady()
                let ended = await crmd.stop(signal: SIGTERM)
                #expect(
                    ended == .exited(0),
                    "after SIGTERM: \(String(describing: ended))\n\(crmd.standardError.suffix(4000))"
                )
                let stopping = try await run.waitForNotification(after: ready.index + 1, timeout: .seconds(1)) {
                    $0["STOPPING"] == "1"
                }
                #expect(stopping.datagram.received > ready.datagram.received)
            }
        }

        @Test("with WATCHDOG_USEC=1 s and WATCHDOG_PID its own pid, WATCHDOG=1 comes about every 0.5 s")
        func watchdog() async throws {
            try await withServiceRun { run in
                try run.start(environment: ["WATCHDOG_USEC": "1000000"], watchdogPIDIsOwn: true)
                let ready = try await run.waitForReady()
                try await Task.sleep(for: .milliseconds(2500))
                let window = ready.datagram.received...ready.datagram.received.advanced(by: .milliseconds(2500))
                let pings = run.notify.datagrams[ready.index...].filter { $0.notification["WATCHDOG"] == "1" }
                let inWindow = pings.filter { window.contains($0.received) }
                #expect(inWindow.count >= 3, "\(inWindow.count) pings in the 2.5 s after READY=1, expected about 5")
                #expect(inWindow.count <= 7, "\(inWindow.count) pings in the 2.5 s after READY=1, expected about 5")
                for (earlier, later) in zip(pings, pings.dropFirst()) {
                    let gap = later.received - earlier.received
                    #expect(
                        gap >= .milliseconds(200),
                        "two watchdog pings \(gap) apart; the interval is 1 s, so about 0.5 s"
                    )
                }
                #expect(await run.waitForLog("watchdog enabled"), "no log of the watchdog interval")
            }
        }

        @Test("while the database does not answer, WATCHDOG=1 is withheld; it resumes when the database answers again")
        func watchdogWithheld() async throws {
            try await withServiceRun { run in
                try run.start(environment: ["WATCHDOG_USEC": "1000000"], watchdogPIDIsOwn: true)
                let ready = try await run.waitForReady()
                _ = try await run.waitForNotification(after: ready.index, timeout: .seconds(5)) {
                    $0["WATCHDOG"] == "1"
                }

                // The test takes every lock of the WAL index for 3 s: crmd's reads wait in SQLite's busy handler.
                let block = try await WALIndexLock.acquire(database: run.dataDir + "/crmd.sqlite3")
                let locked = ContinuousClock.now
                try await Task.sleep(for: .seconds(3))
                let loggedWhileLocked = run.crmd.standardError.contains("withholding the watchdog ping")
                block.release()
                let released = ContinuousClock.now
                #expect(loggedWhileLocked, "the withheld ping must be logged while the database is locked")

                // A ping already on its way may arrive just after the lock; none later while it is held.
                let pingsWhileLocked = run.notify.datagrams.filter {
                    $0.notification["WATCHDOG"] == "1" && $0.received > locked.advanced(by: .milliseconds(800))
                        && $0.received < released
                }
                #expect(pingsWhileLocked.isEmpty, "\(pingsWhileLocked.count) pings while the database was locked")
                #expect(await run.waitForLog("withholding the watchdog ping"), "no log of the withheld ping")
                _ = try await run.notify.waitFor(timeout: .seconds(15), sender: run.crmd) {
                    $0.notification["WATCHDOG"] == "1" && $0.received > released
                }
            }
        }

        @Test(
            "no WATCHDOG=1 when the watchdog is not this process's",
            arguments: [
                ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"],  // another process's watchdog
                ["WATCHDOG_PID": "1"],  // no interval at all
                [:],
            ]
        )
        func noWatchdog(environment: [String: String]) async throws {
            try await withServiceRun { run in
                try run.start(environment: environment)
                let ready = try await run.waitForReady()
                try await Task.sleep(for: .milliseconds(1500))
                let pings = run.notify.datagrams[ready.index...].filter { $0.notification["WATCHDOG"] != nil }
                #expect(pings.isEmpty, "\(pings.count) watchdog pings with \(environment)")
                #expect(!run.crmd.standardError.contains("watchdog enabled"))
            }
        }

        @Test("SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1; the new log level applies at once")
        func reload() async throws {
            try await withServiceRun { run in
                try run.writeConfiguration(
                    """
                    daemon:
                      data_dir: \(run.dataDir)
                      socket: \(run.socketPath)
                      log_level: info
                    """
                )
                let crmd = try run.start(arguments: ["--config", run.configurationPath])
                let ready = try await run.waitForReady()
                let connection = try Connection(socketPath: run.socketPath)
                _ = try await connection.createCustomer(named: "Ada")
                let bob = try await connection.createCustomer(named: "Bob")
                #expect(!crmd.standardError.contains("rpc ok"), "a debug line was logged at level info")

                try run.writeConfiguration(
                    """
                    daemon:
                      data_dir: \(run.dataDir)
                      socket: \(run.socketPath)
                      log_level: debug
                    """
                )
                let beforeSignal = monotonicMicroseconds()
                crmd.child.send(SIGHUP)
                let reloading = try await run.waitForNotification(after: ready.index + 1, timeout: .seconds(10)) {
                    $0["RELOADING"] == "1"
                }
                let stamp = try #require(
                    reloading.fields["MONOTONIC_USEC"].flatMap(UInt64.init),
                    "RELOADING=1 without a numeric MONOTONIC_USEC: \(reloading.datagram.text.debugDescription)"
                )
                #expect(
                    stamp >= beforeSignal && stamp <= reloading.datagram.receivedMonotonic,
                    "MONOTONIC_USEC=\(stamp) is not CLOCK_MONOTONIC between the signal (\(beforeSignal)) and its arrival (\(reloading.datagram.receivedMonotonic))"
                )
                let readyAgain = try await run.waitForReady(after: reloading.index + 1)
                let status = readyAgain.fields["STATUS"] ?? ""
                #expect(status.contains("2 customers"), "STATUS after the reload: \(status)")
                #expect(!status.contains("fail"), "STATUS after the reload: \(status)")
                #expect(crmd.standardError.contains("configuration reloaded"))

                // Debug now: the call logs its outcome.
                _ = try await connection.getCustomer(named: bob.name)
                #expect(await run.waitForLog("rpc ok"), "log level debug did not apply after SIGHUP")
                await connection.close()
            }
        }

        @Test("SIGHUP with a file that is not YAML: the STATUS is still one line with the failure and the counts")
        func reloadInvalidYAML() async throws {
            try await withServiceRun { run in
                try run.writeConfiguration("daemon:\n  log_level: debug\n")
                let crmd = try run.start(arguments: ["--config", run.configurationPath] + run.flags)
                let ready = try await run.waitForReady()
                try run.writeConfiguration("daemon:\n  log_level: [debug\n")
                crmd.child.send(SIGHUP)
                let readyAgain = try await run.waitForNotification(after: ready.index + 1, timeout: .seconds(10)) {
                    $0["READY"] == "1"
                }
                let status = readyAgain.fields["STATUS"] ?? ""
                #expect(status.contains("reload failed") && status.contains("not valid YAML"), "STATUS: \(status)")
                // A newline in STATUS= ends the field: systemd shows only the first line.
                #expect(
                    status.contains("0 customers"),
                    "STATUS= was cut at a newline: \(readyAgain.datagram.text.debugDescription)"
                )
                let connection = try Connection(socketPath: run.socketPath)
                #expect(try await connection.servingStatusNow() == .serving)
                await connection.close()
            }
        }

        @Test("SIGHUP with a broken file: READY=1 with a STATUS naming the failure; the running settings stay")
        func reloadFailure() async throws {
            try await withServiceRun { run in
                try run.writeConfiguration(
                    """
                    daemon:
                      data_dir: \(run.dataDir)
                      socket: \(run.socketPath)
                      log_level: debug
                    """
                )
                let crmd = try run.start(arguments: ["--config", run.configurationPath])
                let ready = try await run.waitForReady()
                let connection = try Connection(socketPath: run.socketPath)
                let ada = try await connection.createCustomer(named: "Ada")

                try run.writeConfiguration("daemon:\n  log_level: warning\n  sokcet: /tmp/elsewhere.sock\n")
                crmd.child.send(SIGHUP)
                let reloading = try await run.waitForNotification(after: ready.index + 1, timeout: .seconds(10)) {
                    $0["RELOADING"] == "1"
                }
                let readyAgain = try await run.waitForReady(after: reloading.index + 1)
                let status = readyAgain.fields["STATUS"] ?? ""
                #expect(status.contains("reload failed"), "STATUS: \(status)")
                #expect(status.contains("daemon.sokcet"), "STATUS does not name the bad key: \(status)")
                #expect(status.contains(run.socketPath), "STATUS: \(status)")
                #expect(await run.waitForLog("reload failed"), "the failed reload is not logged")

                // Still serving, on the same socket, at the same log level.
                #expect(try await connection.servingStatusNow() == .serving)
                let logBefore = crmd.standardError.count
                #expect(try await connection.getCustomer(named: ada.name) == ada)
                try await Task.sleep(for: .milliseconds(200))
                #expect(
                    crmd.standardError.dropFirst(logBefore).contains("rpc ok"),
                    "the log level changed although the file did not parse"
                )

                // A data_dir change is accepted, with a warning that it waits for a restart.
                try run.writeConfiguration(
                    """
                    daemon:
                      data_dir: \(run.root)/moved
                      socket: \(run.socketPath)
                    """
                )
                crmd.child.send(SIGHUP)
                let reloadingAgain = try await run.waitForNotification(
                    after: readyAgain.index + 1,
                    timeout: .seconds(10)
                ) {
                    $0["RELOADING"] == "1"
                }
                let third = try await run.waitForReady(after: reloadingAgain.index + 1)
                #expect(!(third.fields["STATUS"] ?? "").contains("fail"), "STATUS: \(third.fields["STATUS"] ?? "")")
                #expect(
                    await run.waitForLog("take effect when crmd restarts"),
                    "no warning that data_dir waits for a restart"
                )
                #expect(try await connection.getCustomer(named: ada.name) == ada)
                #expect(!FileManager.default.fileExists(atPath: run.root + "/moved"))
                await connection.close()
            }
        }
    }
}
