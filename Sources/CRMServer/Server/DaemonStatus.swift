public import CRMCore

/// The one-line status crmd shows systemd (`systemctl status`): where it serves and what it holds.
public struct DaemonStatus<Store: StoreMaintenance>: Sendable {
    let store: Store
    let socketPath: String
    let plugins: PluginHost

    public init(store: Store, socketPath: String, plugins: PluginHost) {
        self.store = store
        self.socketPath = socketPath
        self.plugins = plugins
    }

    public func line() async -> String {
        guard let statistics = try? await store.statistics() else {
            return "serving on \(socketPath); database not answering"
        }
        let disk = statistics.diskFull ? "DISK FULL, writes refused; " : ""
        return disk + "serving on \(socketPath): \(statistics.customers) customers, "
            + "\(statistics.orders) orders, \(statistics.interactions) interactions, "
            + "\(plugins.loadedCount) plugins"
    }
}
