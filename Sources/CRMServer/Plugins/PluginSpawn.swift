import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Starts a plugin-host process with posix_spawn.
///
/// Not Foundation's `Process`: it can hand a child only stdin, stdout and stderr, not a socket at a fixed
/// descriptor, and on Linux it reaps its children itself, which would race with ``PluginWorker``'s own
/// `waitpid` (the exit status is how crmd names a crash). posix_spawn also resets what crmd changed for itself
/// and a plugin must not inherit: signal dispositions (swift-service-lifecycle ignores SIGTERM and SIGINT to
/// handle them) and the signal mask. The child gets a process group of its own, so that a Ctrl-C in a terminal
/// reaches crmd (which stops its plugins) and not the plugins directly.
enum PluginSpawn {
    /// The descriptor the host finds its end of the socketpair at (crmd-plugin-host's HostOptions).
    static let socketDescriptor: Int32 = 3

    /// Starts the process from ``SpawningThread``: the host's PR_SET_PDEATHSIG fires when the *thread* that
    /// created it ends, and Swift's pool threads end after a few idle seconds — which killed every plugin
    /// process five seconds after load until spawning moved to a thread that lives as long as crmd.
    static func start(_ arguments: [String], socket: Int32) async -> Result<pid_t, PluginFailure> {
        await SpawningThread.shared.run { spawn(arguments, socket: socket) }
    }

    private static func spawn(_ arguments: [String], socket: Int32) -> Result<pid_t, PluginFailure> {
        // dup2(3, 3) would keep the close-on-exec flag: hand over a copy elsewhere (the caller closes the
        // original, this function the copy).
        let source = socket == socketDescriptor ? fcntl(socket, F_DUPFD_CLOEXEC, socketDescriptor + 1) : socket
        if source < 0 { return .failure(failure("fcntl", errno)) }
        defer { if source != socket { close(source) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, source, socketDescriptor)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP)
        )

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var environment: [UnsafeMutablePointer<CChar>?] = childEnvironment.map { strdup($0) } + [nil]
        defer { for variable in environment { free(variable) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &environment)
        guard result == 0 else { return .failure(failure("starting \(arguments[0])", result)) }
        return .success(pid)
    }

    /// crmd's environment, without the Swift runtime's crash backtracer: it would try to exec
    /// swift-backtrace, which the host's seccomp filter forbids, and print a line of noise per crash. crmd
    /// reports the signal itself.
    private static let childEnvironment: [String] = {
        var variables: [String] = []
        var cursor = environ
        while let variable = cursor.pointee {
            let text = String(cString: variable)
            if !text.hasPrefix("SWIFT_BACKTRACE=") { variables.append(text) }
            cursor += 1
        }
        return variables + ["SWIFT_BACKTRACE=enable=no"]
    }()

    private static func failure(_ what: String, _ code: Int32) -> PluginFailure {
        PluginFailure(.unavailable, hostMessage: "\(what) failed: \(String(cString: strerror(code)))")
    }
}

/// One thread, alive as long as crmd, that runs every posix_spawn of a plugin host (see
/// ``PluginSpawn/start(_:socket:)``). Each spawn takes about a millisecond; callers await it.
private final class SpawningThread: Sendable {
    static let shared = SpawningThread()

    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let ready = DispatchSemaphore(value: 0)

    private init() {
        let thread = Thread { [self] in serve() }
        thread.name = "crmd-plugin-spawn"
        thread.stackSize = 256 << 10
        thread.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            jobs.withLock { $0.append { continuation.resume(returning: body()) } }
            ready.signal()
        }
    }

    private func serve() -> Never {
        while true {
            ready.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }
}
