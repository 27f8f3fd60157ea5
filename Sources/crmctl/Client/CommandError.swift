import GRPCCore
import GRPCProtobuf

/// A failure crmctl reports on one line of standard error, with the exit code it maps to.
///
/// Errors from crmd arrive as `RPCError` and are mapped once, in ``init(rpcError:)``.
struct CommandError: Error, CustomStringConvertible {
    /// What kind of failure this is; each has its exit code.
    enum Code: Int32, Sendable {
        /// Anything else: the daemon is unreachable, it failed, rows of an import failed.
        case failure = 1
        /// The command line or the data given is invalid.
        case usage = 2
        /// The named resource does not exist.
        case notFound = 3
        /// A unique key is taken, or the etag sent is stale.
        case conflict = 4
    }

    var code: Code
    /// The text after `crmctl: `.
    var message: String
    /// What caused it, for the message; never shown alone.
    var cause: (any Error)?

    init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    var description: String { "crmctl: " + message }

    var exitCode: Int32 { code.rawValue }

    /// The daemon's socket is not there.
    static func noSocket(_ path: String) -> CommandError {
        CommandError(
            .failure,
            "cannot reach crmd at \(path): no such socket; is crmd running? set --socket or CRMD_SOCKET"
        )
    }

    /// A bad flag value, worded like the CSV errors: `--since: not an RFC 3339 time …`.
    static func invalid(_ flag: String, _ error: ValueError) -> CommandError {
        CommandError(.usage, "\(flag): \(error.reason)")
    }

    /// Maps an error from crmd: its status code and message, then the field violations of a
    /// `google.rpc.BadRequest` detail if the server sent one.
    init(rpcError error: RPCError, socket: String? = nil) {
        var message = "\(Self.name(of: error.code)): \(error.message)"
        if error.code == .unavailable, let socket, !error.message.contains(socket) {
            message += " (crmd at \(socket))"
        }
        let violations = Self.fieldViolations(in: error)
        if !violations.isEmpty {
            message += " [" + violations.map { "\($0.field): \($0.description)" }.joined(separator: "; ") + "]"
        }
        self.init(Self.code(for: error.code), message, cause: error)
    }

    /// Field violations from the `grpc-status-details-bin` trailer, if any.
    static func fieldViolations(in error: RPCError) -> [(field: String, description: String)] {
        guard let status = try? error.unpackGoogleRPCStatus() else { return [] }
        var violations: [(field: String, description: String)] = []
        for detail in status.details {
            guard let badRequest = detail.badRequest else { continue }
            for violation in badRequest.violations {
                violations.append((violation.field, violation.violationDescription))
            }
        }
        return violations
    }

    static func code(for code: RPCError.Code) -> Code {
        switch code {
        case .invalidArgument, .outOfRange: return .usage
        case .notFound: return .notFound
        case .alreadyExists, .aborted: return .conflict
        default: return .failure
        }
    }

    /// The canonical gRPC name: `INVALID_ARGUMENT`.
    static func name(of code: RPCError.Code) -> String {
        switch code {
        case .cancelled: return "CANCELLED"
        case .unknown: return "UNKNOWN"
        case .invalidArgument: return "INVALID_ARGUMENT"
        case .deadlineExceeded: return "DEADLINE_EXCEEDED"
        case .notFound: return "NOT_FOUND"
        case .alreadyExists: return "ALREADY_EXISTS"
        case .permissionDenied: return "PERMISSION_DENIED"
        case .resourceExhausted: return "RESOURCE_EXHAUSTED"
        case .failedPrecondition: return "FAILED_PRECONDITION"
        case .aborted: return "ABORTED"
        case .outOfRange: return "OUT_OF_RANGE"
        case .unimplemented: return "UNIMPLEMENTED"
        case .internalError: return "INTERNAL"
        case .unavailable: return "UNAVAILABLE"
        case .dataLoss: return "DATA_LOSS"
        case .unauthenticated: return "UNAUTHENTICATED"
        default: return String(describing: code).uppercased()
        }
    }
}

/// Parses the value of a flag, turning a ``ValueError`` into a usage error naming the flag.
/// - Parameters:
///   - flag: the flag as typed, `--since`.
///   - parse: reads the value.
func parseFlag<T>(_ flag: String, _ parse: () throws(ValueError) -> T) throws(CommandError) -> T {
    do {
        return try parse()
    } catch {
        throw CommandError.invalid(flag, error)
    }
}
