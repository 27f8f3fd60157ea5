/// Runs the calls of one loaded plugin: inside crmd (``LoadedPlugin``, for plugins the configuration marks
/// `trusted`) or in plugin-host processes (``IsolatedPlugin``, the default).
protocol PluginRunner: AnyObject, Sendable {
    var name: String { get }
    /// Whether a crash of the plugin ends only its own process (``IsolatedPlugin``) or crmd.
    var isIsolated: Bool { get }

    /// Runs `method` with `request` and returns the response bytes. Never blocks the calling thread: plugin
    /// code runs on a thread or in a process of its own. `call` carries progress and cancellation.
    func run(_ method: String, request: [UInt8], call: PluginCall) async -> Result<[UInt8], PluginFailure>

    /// Stops the plugin when crmd stops: `shutdown` once no call runs. Returns false when the plugin was
    /// still busy (in process: left alone; isolated: its processes were killed).
    func shutdown() async -> Bool
}
