public import CRMBackup
public import CRMCore
public import Foundation
public import Logging

/// Makes, lists, verifies and prunes backups of one store (docs/operations.md).
public struct Backups<Store: StoreMaintenance & ChangeLogStore>: Sendable {
    let store: Store
    public let settings: BackupSettings
    let logger: Logger

    public init(store: Store, settings: BackupSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    /// The key backups are sealed with; nil with `encrypt: false`. Refuses, saying what to do, when
    /// backups are to be encrypted and there is no key: never a silent plaintext backup.
    public func key() throws -> BackupKey? {
        guard settings.encrypt else { return nil }
        guard let path = settings.keyPath else {
            throw CRMError(
                .failedPrecondition,
                "no backup key: give crmd one in $CREDENTIALS_DIRECTORY/backup-key (LoadCredential=backup-key, "
                    + "docs/systemd.md) or backup.key_file, or set backup.encrypt: false to write unencrypted backups"
            )
        }
        do {
            return try BackupKey.read(from: path)
        } catch let error as BackupError {
            throw CRMError(.failedPrecondition, error.message)
        }
    }

    /// Takes a snapshot and writes it as a backup file in `directory` (default `backup.dir`), then
    /// checks the file it wrote, records the backup in the change log and the journal, and returns it.
    public func create(
        in directory: String? = nil,
        progress: @escaping @Sendable (Double, String) -> Void
    ) async throws -> BackupSummary {
        let key = try key()
        let folder = directory.flatMap { $0.isEmpty ? nil : $0 } ?? settings.directory
        do {
            try FileManager.default.createDirectory(
                atPath: folder,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CRMError(
                .failedPrecondition,
                "cannot create the backup folder \(folder): \(error.localizedDescription)"
            )
        }
        Self.removeLeftovers(in: settings.scratchDirectory)
        let snapshotPath = settings.scratchDirectory + "/" + Self.scratchPrefix + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: snapshotPath) }
        progress(0, "snapshot")
        let snapshot = try await store.writeSnapshot(to: snapshotPath)
        let name = "crmd-\(Self.fileTime(snapshot.time))-r\(snapshot.head.revision).crmdbak"
        let path = folder + "/" + name
        let header = BackupHeader(
            encrypted: key != nil,
            keyID: key?.id ?? "",
            revision: snapshot.head.revision,
            headHash: snapshot.head.hash.hexString,
            time: ChangeImage.timeText(snapshot.time),
            crmdVersion: CRMDVersion.current,
            schemaVersion: snapshot.schemaVersion,
            databaseBytes: snapshot.bytes
        )
        let total = Double(max(snapshot.bytes, 1))
        try await Self.offPool {
            try BackupFile.write(database: snapshotPath, to: path, header: header, key: key) { read in
                progress(0.1 + 0.6 * Double(read) / total, "write")
            }
        }
        progress(0.7, "verify")
        var summary = try await verify(path, progress: { fraction in progress(0.7 + 0.3 * fraction, "verify") })
        summary.verified = true
        _ = try await store.recordEvent(
            resource: "backups",
            details: [
                "event": "backup", "file": name, "revision": String(snapshot.head.revision),
                "head": snapshot.head.hash.hexString,
            ]
        )
        logger.notice(
            "backup written",
            metadata: [
                "backup_file": "\(path)", "change_log_revision": "\(snapshot.head.revision)",
                "change_log_head": "\(snapshot.head.hash.hexString)", "bytes": "\(summary.sizeBytes)",
            ]
        )
        return summary
    }

    /// Checks every chunk of the backup at `path` and the integrity of the database it holds, without
    /// restoring; marks it verified (a `.verified` file beside it).
    public func verify(
        _ path: String,
        progress: @escaping @Sendable (Double) -> Void = { _ in }
    ) async throws -> BackupSummary {
        let header: BackupHeader
        do {
            header = try BackupFile.header(of: path)
        } catch let error as BackupError {
            throw CRMError.invalid("path", error.message)
        }
        let key = header.encrypted ? try key() : nil
        let scratch = settings.scratchDirectory + "/" + Self.scratchPrefix + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            let total = Double(max(header.databaseBytes, 1))
            try await Self.offPool {
                try BackupFile.read(path, key: key, to: scratch) { written in progress(0.8 * Double(written) / total) }
            }
        } catch let error as BackupError {
            throw CRMError(.failedPrecondition, "backup does not verify: \(error.message)")
        }
        let inside = try await store.inspectSnapshot(at: scratch)
        guard inside.head.revision == header.revision, inside.head.hash.hexString == header.headHash else {
            throw CRMError(
                .failedPrecondition,
                "backup does not verify: its database ends at revision \(inside.head.revision), its header says \(header.revision)"
            )
        }
        _ = FileManager.default.createFile(
            atPath: path + ".verified",
            contents: Data(ChangeImage.timeText(Date()).utf8)
        )
        progress(1)
        var summary = try BackupSummary(path: path, header: header)
        summary.verified = true
        return summary
    }

    /// The backups in `directory` (default `backup.dir`), newest first; files that are not backups are
    /// left out.
    public func list(in directory: String? = nil) async throws -> (folder: String, backups: [BackupSummary]) {
        let folder = directory.flatMap { $0.isEmpty ? nil : $0 } ?? settings.directory
        // Reads every file's header: off Swift's cooperative pool.
        let outcome = await onOwnThread("crmd-backup") { Self.summaries(in: folder) }
        return (folder, outcome)
    }

    /// The backups in `folder`, newest first, read on the calling thread.
    static func summaries(in folder: String) -> [BackupSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let backups = names.filter { $0.hasSuffix(".crmdbak") }.compactMap { name -> BackupSummary? in
            let path = folder + "/" + name
            guard let header = try? BackupFile.header(of: path) else { return nil }
            return try? BackupSummary(path: path, header: header)
        }
        return backups.sorted { ($0.header.time, $0.path) > ($1.header.time, $1.path) }
    }

    /// Deletes the backups of `backup.dir` that the retention policy does not keep; returns their paths.
    @discardableResult
    public func applyRetention() async throws -> [String] {
        let backups = try await list().backups
        let keep = settings.keep.kept(backups.map { ($0.path, $0.time) })
        var removed: [String] = []
        for backup in backups where !keep.contains(backup.path) {
            try? FileManager.default.removeItem(atPath: backup.path)
            try? FileManager.default.removeItem(atPath: backup.path + ".verified")
            removed.append(backup.path)
        }
        if !removed.isEmpty {
            logger.info("backups removed by the retention policy", metadata: ["removed": "\(removed.count)"])
        }
        return removed
    }

    /// Plain copies of the database while a backup is made or checked, in the data folder.
    static var scratchPrefix: String { ".backup-scratch-" }

    /// Plain copies a crash left behind; none is in use, as backups and checks do not overlap a crash.
    static func removeLeftovers(in folder: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(scratchPrefix) {
            let path = folder + "/" + name
            // One in use is younger than a day; older ones were left by a crash.
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            if let modified, Date().timeIntervalSince(modified) > 86_400 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// Runs blocking file work on a thread of its own, off Swift's cooperative pool.
    static func offPool(_ body: @escaping @Sendable () throws -> Void) async throws {
        let outcome = await onOwnThread("crmd-backup") { Result<Void, any Error> { try body() } }
        try outcome.get()
    }

    /// `20261207T221500Z`.
    static func fileTime(_ date: Date) -> String {
        ChangeImage.timeText(date).prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(
            of: ":",
            with: ""
        ) + "Z"
    }
}

/// One backup file as listings show it.
public struct BackupSummary: Sendable {
    public var path: String
    public var header: BackupHeader
    public var sizeBytes: Int64
    public var time: Date
    public var verified: Bool

    init(path: String, header: BackupHeader) throws {
        self.path = path
        self.header = header
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        sizeBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        time = formatter.date(from: header.time) ?? Date(timeIntervalSince1970: 0)
        verified = FileManager.default.fileExists(atPath: path + ".verified")
    }
}

extension BackupSettings.Retention {
    /// The paths the policy keeps among `backups` (path, time): the newest `last`; the newest of each of
    /// the `daily` most recent days that have one; the newest of each of the `weekly` most recent ISO
    /// weeks that have one (UTC).
    public func kept(_ backups: [(path: String, time: Date)]) -> Set<String> {
        let newestFirst = backups.sorted { ($0.time, $0.path) > ($1.time, $1.path) }
        var keep = Set(newestFirst.prefix(last).map(\.path))
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        func newestPer(_ period: (Date) -> DateComponents, count: Int) {
            var seen: [DateComponents] = []
            for backup in newestFirst {
                let key = period(backup.time)
                guard !seen.contains(key) else { continue }
                guard seen.count < count else { break }
                seen.append(key)
                keep.insert(backup.path)
            }
        }
        newestPer({ calendar.dateComponents([.year, .month, .day], from: $0) }, count: daily)
        newestPer({ calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: $0) }, count: weekly)
        return keep
    }

}
