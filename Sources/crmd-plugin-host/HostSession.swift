import CRMPluginABI
import CRMPluginWire
import Glibc
import Synchronization

/// The host's side of the frame protocol: a reader thread takes frames off the socket; the main thread runs
/// `init`, each `call` and `shutdown` in turn, so that a CANCEL frame is seen while a call runs.
final class HostSession: Sendable {
    /// For the C callbacks of the host table, which get no context of ours but `ctx`.
    nonisolated(unsafe) static var current: HostSession?

    private let socket: FrameSocket
    private let options: HostOptions
    /// Held while a frame is written: the plugin's threads log and report progress concurrently.
    private let writing = Mutex<Void>(())
    /// Frames for the main thread (INIT, CALL, STOP), posted to `ready`.
    private let jobs = Mutex<[PluginFrame]>([])
    nonisolated(unsafe) private let ready: UnsafeMutablePointer<sem_t>
    /// The id of the call crmd cancelled last; `is_cancelled(ctx)` compares its call id with it.
    private let cancelledCall = Atomic<UInt64>(0)

    init(socket: Int32, options: HostOptions) {
        self.socket = FrameSocket(descriptor: socket)
        self.options = options
        ready = .allocate(capacity: 1)
        sem_init(ready, 0, 0)
    }

    /// Loads the library, reports it, then serves frames until STOP or the end of the stream.
    func run() -> Never {
        Self.current = self
        let library: HostedLibrary
        switch HostedLibrary.load(options.library) {
        case .failure(let refusal):
            var writer = WireWriter()
            writer.appendText(refusal.abiVersion)
            writer.append(refusal.reason.utf8)
            send(PluginFrame(.refused, payload: writer.bytes))
            _exit(0)
        case .success(let loaded):
            library = loaded
            send(PluginFrame(.loaded, payload: loaded.summary.payload))
        }
        startReader()
        var runner = HostedPlugin(library: library)
        while true {
            while sem_wait(ready) != 0 {}
            guard let frame = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { continue }
            switch frame.kind {
            case .initialise:
                send(runner.initialise(frame.payload))
            case .call:
                send(runner.call(frame))
            case .stop:
                runner.shutdown()
                _exit(0)
            default:
                continue
            }
        }
    }

    private func startReader() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(
            &thread,
            nil,
            { context in
                Unmanaged<HostSession>.fromOpaque(context!).takeRetainedValue().readFrames()
            },
            context
        )
        if started != 0 { _exit(4) }
    }

    private func readFrames() -> Never {
        while true {
            // The end of the stream, or a broken one: crmd closed its end (it stops us or it died).
            guard let frame = try? socket.read() else { _exit(0) }
            switch frame.kind {
            case .cancel:
                cancelledCall.store(frame.callID, ordering: .releasing)
            case .initialise, .call, .stop:
                jobs.withLock { $0.append(frame) }
                sem_post(ready)
            default:
                // Frames only the host sends: crmd would never; ignore rather than trust them.
                continue
            }
        }
    }

    func isCancelled(_ callID: UInt64) -> Bool {
        callID != 0 && cancelledCall.load(ordering: .acquiring) == callID
    }

    /// Writes a frame; a failed write means crmd is gone, and so is the reason to live.
    func send(_ frame: PluginFrame) {
        let bytes = frame.encoded
        let written: Bool = writing.withLock { _ in (try? socket.write(bytes)) != nil }
        if !written { _exit(0) }
    }
}
