/// Where crmd's socket is when nobody says.
enum SocketLocation {
    /// Where `crmd` listens when started from the repository as in the README.
    static let local = "./var/crmd.sock"
    /// Where the packaged system service listens.
    static let system = "/run/crmd/crmd.sock"

    /// The socket path to use.
    /// - Parameters:
    ///   - flag: `--socket`, if given.
    ///   - environment: `CRMD_SOCKET`, if set.
    ///   - isRoot: whether the effective user is root.
    ///   - fileExists: whether a path exists.
    static func resolve(flag: String?, environment: String?, isRoot: Bool, fileExists: (String) -> Bool) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let environment { return environment }
        if fileExists(local) { return local }
        if isRoot, fileExists(system) { return system }
        return local
    }
}
