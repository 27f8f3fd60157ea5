/// An error a plugin returns to the host: a status code, a message, and the underlying cause.
///
/// Throw it from ``AnalysisPlugin`` and ``ConnectorPlugin`` methods; the export helper turns it into the
/// `crm_plugin_error` of the C ABI, and the host returns it to its gRPC caller with the same code. Any other
/// error a plugin throws arrives as ``Code-swift.struct/unknown`` with its description as the message.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    /// A status code: gRPC's, with the same numbers (`CRM_STATUS_*` in `crm_plugin.h`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The number, 1–16.
        public let rawValue: Int32

        private init(_ rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The code for a status number from the ABI; numbers outside 1–16 (and 0, which is not an error)
        /// become ``unknown``, as the host treats them.
        public init(status: Int32) {
            self = (1...16).contains(status) ? Code(status) : .unknown
        }

        /// The call was cancelled (``PluginCallContext/isCancelled`` said so).
        public static let cancelled = Code(1)
        /// An error with no better code.
        public static let unknown = Code(2)
        /// A bad request: undecodable bytes, an unknown algorithm or parameter, a bad value or dataset.
        public static let invalidArgument = Code(3)
        /// The plugin's own time limit expired.
        public static let deadlineExceeded = Code(4)
        /// Something named in the request does not exist.
        public static let notFound = Code(5)
        /// The external system already has it.
        public static let alreadyExists = Code(6)
        /// The external system refused the credentials' rights.
        public static let permissionDenied = Code(7)
        /// Out of memory, a quota, or a size limit.
        public static let resourceExhausted = Code(8)
        /// The state does not allow it: a model in an unreadable format, a stale cursor.
        public static let failedPrecondition = Code(9)
        /// A conflict; retrying the whole operation may work.
        public static let aborted = Code(10)
        /// A value past its valid range.
        public static let outOfRange = Code(11)
        /// The method is not offered by this plugin.
        public static let unimplemented = Code(12)
        /// A bug in the plugin: an invariant broke.
        public static let internalError = Code(13)
        /// The external system cannot be reached now; retry later.
        public static let unavailable = Code(14)
        /// Unrecoverable data corruption.
        public static let dataLoss = Code(15)
        /// The external system refused the credentials.
        public static let unauthenticated = Code(16)

        public var description: String {
            switch rawValue {
            case 1: "cancelled"
            case 2: "unknown"
            case 3: "invalid argument"
            case 4: "deadline exceeded"
            case 5: "not found"
            case 6: "already exists"
            case 7: "permission denied"
            case 8: "resource exhausted"
            case 9: "failed precondition"
            case 10: "aborted"
            case 11: "out of range"
            case 12: "unimplemented"
            case 13: "internal error"
            case 14: "unavailable"
            case 15: "data loss"
            default: "unauthenticated"
            }
        }
    }

    /// What kind of failure it is; the host's gRPC status.
    public var code: Code
    /// For people; returned to the gRPC caller and logged, so never a secret.
    public var message: String
    /// The error that caused this one, if any; stays inside the plugin.
    public var cause: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The status code.
    ///   - message: What went wrong, for people.
    ///   - cause: The underlying error, if any.
    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        "\(code): \(message)"
    }
}

extension PluginError {
    /// `error` as a ``PluginError``: itself when it is one, ``Code-swift.struct/cancelled`` for a
    /// `CancellationError`, otherwise ``Code-swift.struct/unknown`` with the error's description.
    init(converting error: any Error) {
        switch error {
        case let error as PluginError:
            self = error
        case is CancellationError:
            self.init(code: .cancelled, message: "cancelled", cause: error)
        default:
            self.init(code: .unknown, message: String(describing: error), cause: error)
        }
    }
}
