import CRMPluginWire

/// The command line crmd gives the host: `crmd-plugin-host --parent PID [--memory BYTES] LIBRARY`.
struct HostOptions {
    /// The socketpair end crmd passes (dup2'ed there by posix_spawn).
    static let socketDescriptor: Int32 = 3

    /// The library to load.
    var library: String
    /// crmd's pid: the host dies with it.
    var parent: Int32
    /// RLIMIT_AS before the plugin's own limit arrives with INIT, so that loading is bounded too; 0 for none.
    var memoryLimit: UInt64 = 0

    init(arguments: [String]) throws {
        var library: String?
        var parent: Int32?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--parent":
                guard let value = rest.popFirst().flatMap({ Int32($0) }) else {
                    throw WireError("--parent needs a process id")
                }
                parent = value
            case "--memory":
                guard let value = rest.popFirst().flatMap({ UInt64($0) }) else {
                    throw WireError("--memory needs a number of bytes")
                }
                memoryLimit = value
            default:
                guard library == nil, !argument.hasPrefix("-") else {
                    throw WireError("unexpected argument \"\(argument)\"")
                }
                library = argument
            }
        }
        guard let library, let parent else {
            throw WireError("usage: crmd-plugin-host --parent PID [--memory BYTES] LIBRARY")
        }
        self.library = library
        self.parent = parent
    }
}
