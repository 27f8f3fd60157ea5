import GRPCCore

/// A call or an `init` that did not succeed: a plugin's own error (its status code and message), or crmd's
/// account of what happened to the plugin's process (a crash, a kill after cancellation).
struct PluginFailure: Error, Sendable {
    var rpcCode: RPCError.Code
    var message: String
    /// The message is crmd's, complete ("plugin svm crashed (SIGSEGV); restarted"), rather than the plugin's,
    /// which callers prefix with the plugin and method.
    var isHostMessage = false

    /// A plugin's error: `code` is the CRM_STATUS_* it returned, UNKNOWN outside 1–16.
    init(status code: Int32, message: String) {
        self.rpcCode = Status.Code(rawValue: Int(code)).flatMap(RPCError.Code.init) ?? .unknown
        self.message = message
    }

    /// crmd's own account.
    init(_ code: RPCError.Code, hostMessage message: String) {
        self.rpcCode = code
        self.message = message
        self.isHostMessage = true
    }
}
