import Foundation

/// A crmd process started from the built binary the way a service manager starts it: the systemd
/// variables the test run itself may carry are removed, and the test sets the ones it needs. The one
/// launcher of every test that runs the real crmd: ``Daemon`` (a served registry), the systemd tests
/// (``ServiceRun``) and crmd's command-line tests (``run(_:environment:in:timeout:)``). Everything between the test and crmd `exec`s, so
/// ``pid`` is crmd's own pid (what `MAINPID=` must say).
package final class ManagedCrmd: Sendable {
    /// How to start crmd.
    package struct Launch: Sendable {
        /// crmd's arguments.
        package var arguments: [String]
        /// Variables set for crmd.
        package var environment: [String: String] = [:]
        /// Sets `WATCHDOG_PID` to crmd's pid, as systemd does.
        package var watchdogPIDIsOwn = false
        /// A command crmd runs under, which must exec it (`systemd-socket-activate …`).
        package var wrapper: [String] = []
        /// A folder bind-mounted over `/run/systemd` in a private mount namespace
        /// (needs `CAP_SYS_ADMIN`): crmd then sends its journal records to
        /// `<folder>/journal/socket`, which the test binds.
        package var runSystemd: String?
        package var currentDirectory: String?
        /// Files that receive crmd's stdout and stderr.
        package var standardOutput: String
        package var standardError: String

        package init(
            arguments: [String],
            environment: [String: String] = [:],
            watchdogPIDIsOwn: Bool = false,
            wrapper: [String] = [],
            runSystemd: String? = nil,
            currentDirectory: String? = nil,
            standardOutput: String,
            standardError: String
        ) {
            self.arguments = arguments
            self.environment = environment
            self.watchdogPIDIsOwn = watchdogPIDIsOwn
            self.wrapper = wrapper
            self.runSystemd = runSystemd
            self.currentDirectory = currentDirectory
            self.standardOutput = standardOutput
            self.standardError = standardError
        }
    }

    /// Variables of systemd's service environment; none is inherited from the test run.
    package static let systemdVariables = [
        "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID",
        "LISTEN_FDNAMES", "STATE_DIRECTORY", "RUNTIME_DIRECTORY", "CONFIGURATION_DIRECTORY", "CREDENTIALS_DIRECTORY",
    ]

    package let child: ChildProcess
    package let launch: Launch

    package var pid: Int32 { child.pid }

    package init(_ launch: Launch) throws {
        let crmd = BuildProducts.crmd
        guard FileManager.default.isExecutableFile(atPath: crmd) else {
            throw HarnessError("no crmd executable at \(crmd); build it with `swift build --product crmd`")
        }
        var script = ""
        if let runSystemd = launch.runSystemd {
            script += "mount --bind \(Self.quoted(runSystemd)) /run/systemd || exit 71\n"
        }
        script += "exec env"
        for name in Self.systemdVariables { script += " -u \(name)" }
        if launch.watchdogPIDIsOwn { script += " WATCHDOG_PID=$$" }
        for (name, value) in launch.environment.sorted(by: { $0.key < $1.key }) {
            script += " " + Self.quoted("\(name)=\(value)")
        }
        script += " \"$@\""
        let command = launch.wrapper + [crmd] + launch.arguments
        let executable: String
        let arguments: [String]
        if launch.runSystemd != nil {
            executable = "/usr/bin/unshare"
            arguments = ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh"] + command
        } else {
            executable = "/bin/sh"
            arguments = ["-c", script, "sh"] + command
        }
        child = try ChildProcess(
            executable: executable,
            arguments: arguments,
            standardOutput: launch.standardOutput,
            standardError: launch.standardError,
            currentDirectory: launch.currentDirectory
        )
        self.launch = launch
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// What crmd wrote to stderr so far.
    package var standardError: String {
        (try? String(contentsOfFile: launch.standardError, encoding: .utf8)) ?? ""
    }

    /// Why crmd is no longer running, for giving up a wait; nil while it runs.
    package var exitReason: String? {
        child.terminated.map { "crmd ended (\($0)) early\n--- stderr ---\n\(standardError.suffix(4000))" }
    }

    /// Sends `signal` and waits up to 15 s for the exit (SIGKILL after that).
    package func stop(signal: Int32 = SIGTERM) async -> ChildProcess.Termination? {
        child.send(signal)
        if let ended = await child.waitForExit(timeout: .seconds(15)) { return ended }
        await child.killAndWait()
        return nil
    }

    /// Runs crmd to completion in `folder` (`--check-config`, refused settings) and captures what it
    /// printed.
    package static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        in folder: String,
        timeout: Duration = .seconds(60)
    ) async throws -> CommandResult {
        let tag = UUID().uuidString.prefix(8)
        let (outPath, errPath) = ("\(folder)/.crmd-\(tag).out", "\(folder)/.crmd-\(tag).err")
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let crmd = try ManagedCrmd(
            Launch(
                arguments: arguments,
                environment: environment,
                currentDirectory: folder,
                standardOutput: outPath,
                standardError: errPath
            )
        )
        var termination = await crmd.child.waitForExit(timeout: timeout)
        let timedOut = termination == nil
        if timedOut { termination = await crmd.child.killAndWait() }
        guard let termination else { throw HarnessError("crmd \(arguments) did not exit after SIGKILL") }
        return CommandResult(
            termination: termination,
            timedOut: timedOut,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }
}
