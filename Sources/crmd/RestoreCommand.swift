import ArgumentParser
import CRMBackup
import CRMCore
import CRMStoreSQLite
import Foundation
import Logging

/// `crmd restore FILE --data-dir DIR`: puts a backup's database in place, offline (docs/operations.md,
/// "Restore"). crmd must not be running on DIR.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmd restore",
        abstract: "Restore a backup into a data folder, with crmd stopped.",
        discussion: """
            Checks the key, every chunk, the database's integrity and its schema version (a newer \
            schema than this crmd knows is refused; an older one is migrated forward), then puts the \
            database in DIR and prints what it restored. A data folder that is not empty is refused \
            unless --force, which moves its files aside to DIR/replaced-TIME/. The key comes from \
            --key-file, else $CREDENTIALS_DIRECTORY/backup-key, else backup.key_file of --config.
            """
    )

    @Argument(help: ArgumentHelp("The backup file (*.crmdbak).", valueName: "file"))
    var file: String

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The data folder to restore into.", valueName: "dir"))
    var dataDirectory: String

    @Option(name: .customLong("key-file"), help: ArgumentHelp("The backup key.", valueName: "path"))
    var keyFile: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("Configuration file, for backup.key_file.", valueName: "path")
    )
    var configurationPath: String?

    @Flag(help: "Restore into a data folder that is not empty, moving its files aside first.")
    var force = false

    func run() async throws {
        do {
            try await restore()
        } catch let error as BackupError {
            FileHandle.standardError.write(Data("crmd restore: \(error.message); nothing was restored\n".utf8))
            throw ExitCode.failure
        } catch let error as CRMError {
            FileHandle.standardError.write(Data("crmd restore: \(error.message); nothing was restored\n".utf8))
            throw ExitCode.failure
        }
    }

    private func restore() async throws {
        let header = try BackupFile.header(of: file)
        var key: BackupKey? = nil
        if header.encrypted {
            guard let path = try keyPath() else {
                throw BackupError(
                    "\(file) is encrypted (key id \(header.keyID)): give --key-file, or $CREDENTIALS_DIRECTORY/backup-key"
                )
            }
            key = try BackupKey.read(from: path)
        }
        let folder = (dataDirectory as NSString).standardizingPath
        try FileManager.default.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let existing = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            !$0.hasPrefix(".restoring")
        }
        if !existing.isEmpty, !force {
            throw BackupError(
                "\(folder) is not empty (\(existing.sorted().prefix(5).joined(separator: ", "))): stop crmd, "
                    + "then give --force to move its files aside"
            )
        }
        let restoring = folder + "/.restoring-crmd.sqlite3"
        defer { try? FileManager.default.removeItem(atPath: restoring) }
        try BackupFile.read(file, key: key, to: restoring)
        let inside = try SQLiteRegistry.inspect(snapshot: restoring, integrity: true)
        guard inside.schemaVersion <= SQLiteRegistry.schemaVersion else {
            throw BackupError(
                "\(file) has schema version \(inside.schemaVersion), newer than this crmd's \(SQLiteRegistry.schemaVersion): "
                    + "restore it with a newer crmd"
            )
        }
        guard inside.head.revision == header.revision, inside.head.hash.hexString == header.headHash else {
            throw BackupError(
                "\(file): its database ends at revision \(inside.head.revision), its header says \(header.revision)"
            )
        }

        if !existing.isEmpty {
            let aside = folder + "/replaced-" + ChangeImage.timeText(Date()).replacingOccurrences(of: ":", with: "")
            try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
            for name in existing {
                try FileManager.default.moveItem(atPath: folder + "/" + name, toPath: aside + "/" + name)
            }
            print("moved the folder's \(existing.count) files aside to \(aside)")
        }
        let database = folder + "/crmd.sqlite3"
        guard rename(restoring, database) == 0 else { throw BackupError("cannot move the database into \(database)") }

        // Opening migrates an older schema forward; the restore is recorded in the restored log.
        let store = try SQLiteRegistry(
            path: database,
            logger: Logger(label: "crmd-restore") { _ in SwiftLogNoOpLogHandler() }
        )
        try await ChangeActor.$current.withValue(.daemon("restore")) {
            _ = try await store.recordEvent(
                resource: "backups",
                details: [
                    "event": "restore", "file": (file as NSString).lastPathComponent,
                    "revision": String(header.revision), "head": header.headHash,
                ]
            )
        }
        let statistics = try await store.statistics()
        try await store.close()
        print(
            """
            restored \(file) into \(database)
              customers: \(statistics.customers) (+\(statistics.deletedCustomers) deleted), orders: \(statistics.orders), \
            payments: \(statistics.payments), interactions: \(statistics.interactions)
              change log: revision \(header.revision), head \(header.headHash), taken \(header.time)
              schema: \(statistics.schemaVersion)\(inside.schemaVersion < statistics.schemaVersion ? " (migrated from \(inside.schemaVersion))" : ""), written by crmd \(header.crmdVersion)
            next: start crmd, then crmctl audit verify
            """
        )
    }

    private func keyPath() throws -> String? {
        if let keyFile { return keyFile }
        if let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"],
            FileManager.default.fileExists(atPath: credentials + "/backup-key")
        {
            return credentials + "/backup-key"
        }
        if let configurationPath {
            return try ConfigurationFile.load(path: configurationPath).backup.keyFile
        }
        return nil
    }
}
