import Foundation
import Synchronization

/// A process started by a test, whose exit can be awaited without blocking a
/// thread of the (small) cooperative pool.
package final class ChildProcess: Sendable {
    /// How a process ended.
    package enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        package var description: String {
            switch self {
            case .exited(let code): "exit code \(code)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    package let pid: Int32
    package let executable: String
    private let termination: TerminationBox
    /// Keeps the `Process` alive until it has been reaped.
    private let process: Mutex<Process?>

    /// Starts `executable`.
    /// - Parameters:
    ///   - executable: absolute path of the program.
    ///   - arguments: its arguments, without the program name.
    ///   - environment: added to (and overriding) the test's own environment.
    ///   - standardOutput: file that receives stdout; `nil` discards it.
    ///   - standardError: file that receives stderr; `nil` discards it.
    ///   - currentDirectory: the working directory; the test's when `nil`.
    package init(
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        standardOutput: String? = nil,
        standardError: String? = nil,
        currentDirectory: String? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }
        process.standardInput = FileHandle.nullDevice
        let outHandle = try standardOutput.map(Self.openForWriting)
        let errHandle = try standardError.map(Self.openForWriting)
        process.standardOutput = outHandle ?? FileHandle.nullDevice
        process.standardError = errHandle ?? FileHandle.nullDevice

        let termination = TerminationBox()
        self.termination = termination
        process.terminationHandler = { finished in
            let result: Termination =
                switch finished.terminationReason {
                case .exit: .exited(finished.terminationStatus)
                case .uncaughtSignal: .signalled(finished.terminationStatus)
                @unknown default: .exited(finished.terminationStatus)
                }
            termination.value.withLock { $0 = result }
        }
        defer {
            try? outHandle?.close()
            try? errHandle?.close()
        }
        try process.run()
        self.pid = process.processIdentifier
        self.executable = executable
        self.process = Mutex(process)
    }

    /// Shared between the process and its termination handler.
    private final class TerminationBox: Sendable {
        let value = Mutex<Termination?>(nil)
    }

    private static func openForWriting(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        return handle
    }

    /// How the process ended, or `nil` while it runs.
    package var terminated: Termination? { termination.value.withLock { $0 } }

    package func send(_ signal: Int32) {
        if terminated == nil {
            kill(pid, signal)
        }
    }

    /// Waits for the process to end, polling; `nil` if it still runs after `timeout`.
    package func waitForExit(timeout: Duration) async -> Termination? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let done = terminated {
                process.withLock { $0 = nil }
                return done
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return terminated
    }

    /// Sends SIGKILL and waits until the process is gone.
    @discardableResult
    package func killAndWait() async -> Termination? {
        send(SIGKILL)
        return await waitForExit(timeout: .seconds(30))
    }
}

/// The outcome of a command run to completion.
package struct CommandResult: Sendable, CustomStringConvertible {
    package var termination: ChildProcess.Termination
    /// Whether it was killed for running longer than its timeout.
    package var timedOut = false
    package var stdout: String
    package var stderr: String

    package var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    package var succeeded: Bool { termination == .exited(0) }

    package var description: String {
        "\(timedOut ? "killed after timeout, " : "")\(termination)\n--- stdout ---\n\(stdout.suffix(4000))\n--- stderr ---\n\(stderr.suffix(4000))"
    }
}

/// Runs a program to completion, capturing its stdout and stderr.
/// - Parameters:
///   - executable: absolute path of the program.
///   - arguments: its arguments.
///   - environment: added to the test's environment.
///   - scratch: a folder for the capture files.
///   - timeout: how long it may run before it is killed.
package func runCommand(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String] = [:],
    scratch: String,
    currentDirectory: String? = nil,
    timeout: Duration = .seconds(120)
) async throws -> CommandResult {
    let tag = UUID().uuidString.prefix(8)
    let outPath = "\(scratch)/cmd-\(tag).out"
    let errPath = "\(scratch)/cmd-\(tag).err"
    let child = try ChildProcess(
        executable: executable,
        arguments: arguments,
        environment: environment,
        standardOutput: outPath,
        standardError: errPath,
        currentDirectory: currentDirectory
    )
    var termination = await child.waitForExit(timeout: timeout)
    let timedOut = termination == nil
    if timedOut {
        termination = await child.killAndWait()
    }
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: outPath)
    try? FileManager.default.removeItem(atPath: errPath)
    guard let termination else {
        throw HarnessError("\(executable) \(arguments) did not exit after SIGKILL")
    }
    return CommandResult(termination: termination, timedOut: timedOut, stdout: out, stderr: err)
}

/// A failure of the test harness itself (not of an assertion).
package struct HarnessError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
