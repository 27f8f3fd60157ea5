import Foundation

/// Who made a change, and through what: the caller part of every change-log entry.
///
/// The server sets ``current`` for each call from the caller's socket credentials (never from what the
/// client sends); the store reads it when it appends to the log. Work without a caller (a migration, a
/// scheduled job) is crmd's own (``daemon(_:)``).
public struct ChangeActor: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    /// The caller's executable, read from `/proc/PID/exe` when the connection was made; empty when the
    /// kernel did not let crmd read it.
    public var executable: String
    /// The RPC (`/crm.v1.CustomerService/UpdateCustomer`) or crmd's own work (`crmd:migration`).
    public var method: String

    public init(uid: UInt32, gid: UInt32, pid: Int32, executable: String, method: String) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.executable = executable
        self.method = method
    }

    /// The actor of the call being served.
    @TaskLocal public static var current: ChangeActor?

    /// crmd itself, doing `work`.
    public static func daemon(_ work: String) -> ChangeActor {
        ChangeActor(
            uid: getuid(),
            gid: getgid(),
            pid: getpid(),
            executable: ownExecutable,
            method: "crmd:" + work
        )
    }

    private static let ownExecutable = executable(of: getpid())

    /// The target of `/proc/PID/exe`, or "" when it cannot be read (another user's process, a process
    /// that has ended, a `/proc` mounted with `hidepid`).
    public static func executable(of pid: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What a change-log entry did to its resource.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable {
    case create
    case update
    /// A soft delete (the record stays, marked deleted) or, for payments and interactions, a removal.
    case delete
    case undelete
    /// Personal fields anonymised on a privacy request (``ChangeLogStore/eraseCustomer(id:)``).
    case erase
    /// The state of a record that existed before the change log did (written by the migration that
    /// introduced it).
    case baseline
    /// A model trained and stored.
    case train
    /// Scores of a model stored for many customers at once.
    case score
    /// An event with no record of its own: a plugin reload, a backup, a restore.
    case event
    /// A customer merged into another: soft-deleted, `merged_into` set.
    case merge
}
