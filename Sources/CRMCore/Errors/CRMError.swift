/// An error from the registry, with a code that maps to one gRPC status at the
/// service boundary and, for bad input, the fields that are wrong.
public struct CRMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; each maps to one gRPC status code.
    public enum Code: String, Sendable, Hashable {
        /// The request is malformed; ``CRMError/violations`` says where.
        case invalidArgument
        /// The named resource does not exist.
        case notFound
        /// A unique key (email, external id) is already taken.
        case alreadyExists
        /// The etag sent does not match the stored one (AIP-154).
        case aborted
        /// The resource is not in a state that allows the call.
        case failedPrecondition
        /// The caller may not do this.
        case permissionDenied
        /// A bug or a storage failure; the message is for the log.
        case internalError
        /// The service cannot answer right now.
        case unavailable
        /// A limit was reached: a request too large, too many calls at once, a full disk.
        case resourceExhausted
        /// Stored data is damaged or was altered behind crmd's back (a change-log entry that cannot be
        /// read).
        case dataLoss
    }

    /// One wrong field, in the sense of `google.rpc.BadRequest.FieldViolation`.
    public struct FieldViolation: Sendable, Hashable {
        /// Path of the field in the request, e.g. `customer.email`.
        public var field: String
        public var description: String

        public init(field: String, description: String) {
            self.field = field
            self.description = description
        }
    }

    public var code: Code
    public var message: String
    public var violations: [FieldViolation]
    /// A machine-readable reason and facts for the caller, in the sense of `google.rpc.ErrorInfo`
    /// (for example `MERGED` with `merged_into`); empty reason when there is none.
    public var reason = ""
    public var metadata: [String: String] = [:]
    /// The underlying error, if any; never shown to callers.
    public var cause: String?

    public init(_ code: Code, _ message: String, violations: [FieldViolation] = [], cause: String? = nil) {
        self.code = code
        self.message = message
        self.violations = violations
        self.cause = cause
    }

    /// A bad-input error naming one field.
    public static func invalid(_ field: String, _ description: String) -> CRMError {
        CRMError(
            .invalidArgument,
            "\(field): \(description)",
            violations: [FieldViolation(field: field, description: description)]
        )
    }

    public static func notFound(_ name: String) -> CRMError {
        CRMError(.notFound, "\(name) not found")
    }

    public var description: String {
        cause.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)"
    }
}

/// Collects field violations so that one answer names every wrong field.
public struct ViolationCollector: Sendable {
    public private(set) var violations: [CRMError.FieldViolation] = []

    public init() {}

    public mutating func add(_ field: String, _ description: String) {
        violations.append(.init(field: field, description: description))
    }

    /// Runs `body`; a thrown ``CRMError`` with violations is recorded instead of propagated.
    public mutating func check<T>(_ body: () throws -> T) rethrows -> T? {
        do {
            return try body()
        } catch let error as CRMError where !error.violations.isEmpty {
            violations.append(contentsOf: error.violations)
            return nil
        }
    }

    /// Throws an `invalidArgument` error listing every violation, if there is one.
    public func throwIfAny() throws {
        guard !violations.isEmpty else { return }
        let summary = violations.map { "\($0.field): \($0.description)" }.joined(separator: "; ")
        throw CRMError(.invalidArgument, summary, violations: violations)
    }
}
