import GRPCCore
import GRPCProtobuf

/// Keeps every error answer small. Messages and field paths can quote what a client sent — an
/// attribute's key, say — and headers are HPACK-encoded on an event loop: a megabyte-long key
/// once made an error's grpc-message and BadRequest megabytes long, and encoding them held the
/// event loop for tens of seconds (scripts/fuzz.sh found it). Errors are cut to these bounds
/// once, in ``CallerInterceptor``, whatever threw them.
enum ErrorBounds {
    static let messageLimit = 1024
    static let fieldLimit = 200
    static let descriptionLimit = 400
    static let violationLimit = 50

    /// `text`, cut to `limit` characters with a note of how long it was.
    static func cut(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "… (\(text.utf8.count) bytes in all)"
    }

    /// `error` as an RPCError within the bounds: the same code, the message cut, the
    /// google.rpc.Status details' strings cut and their violations capped.
    static func bounded(_ error: any Error) -> any Error {
        guard let original = RPCError(converting: error) else { return error }
        let metadataBytes = original.metadata.reduce(0) { total, entry in
            switch entry.value {
            case .string(let text): total + entry.key.utf8.count + text.utf8.count
            case .binary(let bytes): total + entry.key.utf8.count + bytes.count
            }
        }
        guard original.message.count > messageLimit || metadataBytes > 8 * messageLimit else { return error }
        let message = cut(original.message, messageLimit)
        guard let status = try? original.unpackGoogleRPCStatus() else {
            return RPCError(code: original.code, message: message)
        }
        let details: [ErrorDetails] = status.details.map { detail in
            guard let badRequest = detail.badRequest else { return detail }
            return .badRequest(
                violations: badRequest.violations.prefix(violationLimit).map {
                    .init(field: cut($0.field, fieldLimit), description: cut($0.description, descriptionLimit))
                }
            )
        }
        return GoogleRPCStatus(code: original.code, message: message, details: details)
    }
}
