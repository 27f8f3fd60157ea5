import Testing

/// crmd under a service manager, simulated by the tests: systemd is installed
/// on these machines but is not PID 1, so the tests play its part — they bind
/// the notification socket (`NOTIFY_SOCKET`), hand crmd a listening socket
/// (`systemd-socket-activate`), and stand in for the journal's socket.
///
/// Run with `swift test --filter CRMServerTests.Systemd`.
@Suite("crmd under systemd")
enum Systemd {}
