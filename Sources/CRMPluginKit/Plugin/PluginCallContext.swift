import Synchronization

/// One call into a plugin, as the plugin sees it: progress, cancellation and logging.
///
/// The export helper creates one for each `call` from the host's callbacks; it is valid until the method it was
/// passed to returns. It may be used from threads the method starts, as long as they finish before it returns.
///
/// ```swift
/// for epoch in 0..<maxIterations {
///     try context.checkCancellation()
///     context.reportProgress(Double(epoch) / Double(maxIterations), "epoch \(epoch + 1)/\(maxIterations)")
///     …
/// }
/// ```
public struct PluginCallContext: Sendable {
    /// Where log messages go.
    public let host: PluginHost
    private let cancelled: @Sendable () -> Bool
    private let progress: @Sendable (Double, String?) -> Void
    private let throttle: ProgressThrottle

    /// Creates a context; plugins receive one from the export helper, tests build their own.
    ///
    /// - Parameters:
    ///   - host: Where log messages go.
    ///   - minimumProgressInterval: The shortest time between two progress reports forwarded to
    ///     `reportProgress`; reports in between are dropped, except the first and those at 100 %.
    ///   - isCancelled: Answers ``isCancelled``.
    ///   - reportProgress: Receives progress reports: a fraction from 0 to 1 (negative: unknown) and a message.
    public init(
        host: PluginHost = .discarding,
        minimumProgressInterval: Duration = .milliseconds(100),
        isCancelled: @escaping @Sendable () -> Bool = { false },
        reportProgress: @escaping @Sendable (Double, String?) -> Void = { _, _ in }
    ) {
        self.host = host
        self.cancelled = isCancelled
        self.progress = reportProgress
        self.throttle = ProgressThrottle(minimumInterval: minimumProgressInterval)
    }

    /// Whether the call has been cancelled: the caller went away or cancelled the job, or the daemon is stopping.
    /// A long method polls it a few times a second and then stops.
    public var isCancelled: Bool {
        cancelled()
    }

    /// Throws ``PluginError`` with code ``PluginError/Code-swift.struct/cancelled`` when the call has been
    /// cancelled.
    public func checkCancellation() throws(PluginError) {
        if cancelled() {
            throw PluginError(code: .cancelled, message: "cancelled")
        }
    }

    /// Reports how far the call has got, for `crmctl`'s progress bar. Cheap: call it as often as convenient;
    /// reports closer together than the context's minimum interval are dropped.
    ///
    /// - Parameters:
    ///   - fraction: Done so far, from 0 to 1; negative when unknown ("still alive").
    ///   - message: A short phrase such as `epoch 3/200`.
    public func reportProgress(_ fraction: Double, _ message: String? = nil) {
        if throttle.admits(fraction: fraction) {
            progress(fraction, message)
        }
    }

    /// Writes a message to the daemon's log, attributed to this plugin.
    ///
    /// - Parameters:
    ///   - level: How important it is.
    ///   - message: One line of text; never a secret.
    public func log(_ level: PluginLogLevel, _ message: String) {
        host.log(level, message)
    }
}

/// Lets a progress report through when enough time has passed since the last one.
private final class ProgressThrottle: Sendable {
    private let minimumInterval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(minimumInterval: Duration) {
        self.minimumInterval = minimumInterval
    }

    func admits(fraction: Double) -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            if let previous = last, fraction < 1, now - previous < minimumInterval {
                return false
            }
            last = now
            return true
        }
    }
}
