public import Logging

/// Plain text on standard error (swift-log's ``StreamLogHandler``) with a log
/// level that follows a shared ``LogLevelControl``.
public struct ConsoleLogHandler: LogHandler {
    private var stream: StreamLogHandler
    let control: LogLevelControl

    public init(label: String, control: LogLevelControl) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = .trace
        self.control = control
    }

    public var logLevel: Logger.Level {
        get { control.level }
        set { control.level = newValue }
    }

    public var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        stream.log(event: event)
    }
}
