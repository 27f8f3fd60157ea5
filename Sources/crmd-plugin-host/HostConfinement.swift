import CRMPluginHostConfinement
import Glibc

/// What the host does to itself before any plugin code runs, and the limits it applies later.
enum HostConfinement {
    /// Dies with crmd, gains no privileges, keeps only descriptors 0–3, writes no core files (a crashing
    /// plugin would fill the disk), bounds memory while loading, and installs the seccomp filter.
    static func apply(_ options: HostOptions) {
        if crm_host_die_with_parent(options.parent) != 0 {
            // crmd is gone (or prctl failed): nobody would ever read our frames.
            _exit(3)
        }
        if crm_host_no_new_privileges() != 0 {
            reportProblem("PR_SET_NO_NEW_PRIVS failed: errno \(errno)")
            _exit(3)
        }
        crm_host_close_descriptors_from(HostOptions.socketDescriptor + 1)
        // crmd alone decides when this process ends (it closes the socket, or kills it; PDEATHSIG covers
        // crmd's own death). SIGINT from Ctrl-C reaches the terminal's whole process group, and systemd's
        // stop sends SIGTERM to the unit's whole cgroup: either would end a plugin mid-call, and crmd would
        // log a crash on every stop.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(Int32(RLIMIT_CORE.rawValue), &none)
        if options.memoryLimit > 0 { setMemoryLimit(options.memoryLimit, hard: false) }
        if crm_host_restrict_system_calls() != 0 {
            // Not fatal: an old kernel, or a filter above ours (systemd's) that forbids adding one. The plugin
            // still runs in its own process with its limits.
            reportProblem("seccomp filter not installed: errno \(errno)")
        }
    }

    /// RLIMIT_AS: allocations past `bytes` fail (malloc returns NULL, Swift traps); `nil` raises the soft
    /// limit to the hard one. `hard` also lowers the hard limit, which this process can then never raise again.
    static func setMemoryLimit(_ bytes: UInt64?, hard: Bool) {
        var current = rlimit()
        getrlimit(Int32(RLIMIT_AS.rawValue), &current)
        let value = rlim_t(min(bytes ?? UInt64(current.rlim_max), UInt64(current.rlim_max)))
        var limit = rlimit(rlim_cur: value, rlim_max: hard ? value : current.rlim_max)
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }

    /// RLIMIT_CPU counts the whole life of the process; a limit per call is therefore "what was used so far
    /// plus `seconds`" (the kernel sends SIGXCPU past it). `nil` lifts it. Only the soft limit moves: a lowered
    /// hard limit could never be raised for the next call.
    static func setCPULimit(perCall seconds: UInt64?) {
        var current = rlimit()
        getrlimit(Int32(RLIMIT_CPU.rawValue), &current)
        var soft = current.rlim_max
        if let seconds {
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            let used = UInt64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
            soft = rlim_t(min(used + seconds, UInt64(current.rlim_max)))
        }
        var limit = rlimit(rlim_cur: soft, rlim_max: current.rlim_max)
        setrlimit(Int32(RLIMIT_CPU.rawValue), &limit)
    }
}

/// One line on standard error (crmd's, hence its journal): for problems before the socket can carry a LOG
/// frame. `write(2)`, not `stderr`: the C global is shared mutable state to Swift 6.
func reportProblem(_ text: String) {
    let line = Array("crmd-plugin-host: \(text)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
