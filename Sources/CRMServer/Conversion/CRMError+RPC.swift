public import CRMCore
public import GRPCCore
import GRPCProtobuf

/// crmd's errors become gRPC statuses here and nowhere else (AIP-193): bad
/// input carries a `google.rpc.BadRequest` naming each wrong field; internal
/// causes stay in the log.
extension CRMError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .aborted: .aborted
        case .failedPrecondition: .failedPrecondition
        case .permissionDenied: .permissionDenied
        case .internalError: .internalError
        case .unavailable: .unavailable
        case .resourceExhausted: .resourceExhausted
        case .dataLoss: .dataLoss
        }
    }

    public var rpcErrorMessage: String {
        code == .internalError ? "internal error; see the daemon's log" : message
    }

    public var rpcErrorMetadata: Metadata {
        var details: [ErrorDetails] = []
        if !violations.isEmpty {
            details.append(
                .badRequest(violations: violations.map { .init(field: $0.field, description: $0.description) })
            )
        }
        if !reason.isEmpty {
            details.append(.errorInfo(reason: reason, domain: "crmd", metadata: metadata))
        }
        if details.isEmpty { return [:] }
        return GoogleRPCStatus(code: rpcErrorCode, message: rpcErrorMessage, details: details).rpcErrorMetadata
    }
}
