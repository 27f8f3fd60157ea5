/// The bounds that keep one client, or many, from exhausting crmd (issue 9). Each is set in the
/// configuration file's `limits` section (docs/configuration.md); a call that reaches one is
/// answered RESOURCE_EXHAUSTED with a message naming the limit's key.
public struct ServerLimits: Sendable, Equatable {
    /// `limits.request_bytes`: the largest request message. Checked from the message's length
    /// prefix, before any of it is buffered.
    public var requestBytes: Int
    /// `limits.streams_per_connection`: concurrent calls on one connection (HTTP/2
    /// SETTINGS_MAX_CONCURRENT_STREAMS; clients queue further calls).
    public var streamsPerConnection: Int
    /// `limits.calls_per_caller`: concurrent calls of one Unix user over all its connections.
    public var callsPerCaller: Int
    /// `limits.connections`: open connections; further ones are closed at once.
    public var connections: Int
    /// `limits.idle_connection_timeout`: a connection without calls for this long is closed
    /// (GOAWAY); clients reconnect transparently.
    public var idleConnectionTimeout: Duration
    /// `limits.atomic_import_rows`: rows one atomic import may hold before its commit.
    public var atomicImportRows: Int
    /// `limits.atomic_import_rows_total`: rows all atomic imports together may hold at once.
    public var atomicImportRowsTotal: Int
    /// `limits.concurrent_trainings`: trainings running at once.
    public var concurrentTrainings: Int

    public init(
        requestBytes: Int = 64 << 20,
        streamsPerConnection: Int = 128,
        callsPerCaller: Int = 512,
        connections: Int = 1024,
        idleConnectionTimeout: Duration = .seconds(300),
        atomicImportRows: Int = 1_000_000,
        atomicImportRowsTotal: Int = 2_000_000,
        concurrentTrainings: Int = 2
    ) {
        self.requestBytes = requestBytes
        self.streamsPerConnection = streamsPerConnection
        self.callsPerCaller = callsPerCaller
        self.connections = connections
        self.idleConnectionTimeout = idleConnectionTimeout
        self.atomicImportRows = atomicImportRows
        self.atomicImportRowsTotal = atomicImportRowsTotal
        self.concurrentTrainings = concurrentTrainings
    }
}
