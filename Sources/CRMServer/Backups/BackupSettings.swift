import Foundation

/// The `backup` section of the configuration (docs/operations.md).
public struct BackupSettings: Sendable, Hashable {
    /// What scheduled backups keep: the newest `last`, plus the newest of each of the last `daily`
    /// days and `weekly` weeks. Applied after a successful backup only.
    public struct Retention: Sendable, Hashable {
        public var last: Int
        public var daily: Int
        public var weekly: Int

        public init(last: Int = 7, daily: Int = 14, weekly: Int = 8) {
            self.last = last
            self.daily = daily
            self.weekly = weekly
        }
    }

    /// Where backups go; `<data-dir>/backups` by default.
    public var directory: String
    /// The key file, when `$CREDENTIALS_DIRECTORY/backup-key` is not there.
    public var keyFile: String?
    /// `false` writes unencrypted backups; only when set explicitly.
    public var encrypt: Bool
    /// Scheduled backups every so often; nil for none (manual backups always work).
    public var every: Duration?
    public var keep: Retention
    /// Where the plain snapshot is written before it is sealed, and a backup is opened to be verified:
    /// the data folder, never the backup folder (which may be copied off the machine).
    public var scratchDirectory: String

    public init(
        directory: String,
        scratchDirectory: String,
        keyFile: String? = nil,
        encrypt: Bool = true,
        every: Duration? = nil,
        keep: Retention = Retention()
    ) {
        self.directory = directory
        self.scratchDirectory = scratchDirectory
        self.keyFile = keyFile
        self.encrypt = encrypt
        self.every = every
        self.keep = keep
    }

    /// The key file to read: systemd's credential first, then `backup.key_file`; nil when neither exists.
    public var keyPath: String? {
        if let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] {
            let path = credentials + "/backup-key"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return keyFile
    }
}
