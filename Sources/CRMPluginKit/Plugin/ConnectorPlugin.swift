/// A plugin that moves customers, orders, payments and interactions between crmd and an external system.
///
/// Export it with ``PluginExport/connector(_:name:version:description:license:flags:)``. The host creates one
/// instance when it loads the library and may call it from several threads at once (hence `Sendable`).
public protocol ConnectorPlugin: Sendable {
    /// Creates the plugin when the host loads it.
    ///
    /// - Parameter configuration: Settings (the external system's address, credentials) and the host.
    /// - Throws: ``PluginError``; the host then lists the plugin as failed with the error's message.
    init(configuration: PluginConfiguration) throws

    /// What the connector moves: fill `connector` (`pull_kinds`, `push_kinds`) and `settings`.
    ///
    /// `methods` may be left empty: the export helper fills in `describe`, `pull`, and `push` when
    /// `connector.pushKinds` is not empty.
    func describe() throws -> DescribeResponse

    /// Returns the next batch of records changed in the external system since `request.cursor`.
    ///
    /// - Parameters:
    ///   - request: The cursor, the batch size and the kinds wanted.
    ///   - context: Progress, cancellation and logging for this call.
    /// - Returns: Records keyed by external ids, the next cursor, and whether more are waiting.
    func pull(_ request: PullRequest, context: PluginCallContext) throws -> PullResponse

    /// Writes records from crmd into the external system.
    ///
    /// Optional: the default implementation throws ``PluginError/Code-swift.struct/unimplemented``.
    ///
    /// - Parameters:
    ///   - request: The records to write.
    ///   - context: Progress, cancellation and logging for this call.
    /// - Returns: How many were written, which failed, and the external ids assigned.
    func push(_ request: PushRequest, context: PluginCallContext) throws -> PushResponse
}

extension ConnectorPlugin {
    /// Refuses: this connector does not push.
    public func push(_ request: PushRequest, context: PluginCallContext) throws -> PushResponse {
        throw PluginError(code: .unimplemented, message: "this connector does not support push")
    }
}
