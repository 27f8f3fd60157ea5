import GRPCCore

extension RPCError {
    /// `error` as the status a client gets: itself when it is an RPCError, its conversion when it is
    /// ``RPCErrorConvertible`` (a ``CRMError``, a `GoogleRPCStatus`); `nil` for anything else, which
    /// gRPC answers as UNKNOWN.
    init?(converting error: any Error) {
        switch error {
        case let error as RPCError: self = error
        case let error as any RPCErrorConvertible: self.init(error)
        default: return nil
        }
    }
}
