import ArgumentParser
import CRMProto
import Foundation
import GRPCCore

/// `crmctl backup …`: online backups (docs/operations.md). Admin calls; restore is `crmd restore`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Make, list and verify encrypted online backups (restore: crmd restore, offline).",
        subcommands: [Create.self, List.self, Verify.self]
    )

    static func service(_ client: GRPCClient<Daemon.Transport>) -> Crm_V1_BackupService.Client<Daemon.Transport> {
        Crm_V1_BackupService.Client(wrapping: client)
    }

    static func fields(_ backup: Crm_V1_Backup) -> [(String, String)] {
        [
            ("path", backup.path), ("size_bytes", String(backup.sizeBytes)),
            ("database_bytes", String(backup.databaseBytes)), ("revision", String(backup.revision)),
            ("head_hash", backup.headHash), ("time", RFC3339.format(backup.time, isSet: backup.hasTime)),
            ("encrypted", backup.encrypted ? "yes (key id \(backup.keyID))" : "NO"),
            ("schema_version", String(backup.schemaVersion)), ("crmd_version", backup.crmdVersion),
            ("verified", backup.verified ? "yes" : "no"),
        ]
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a backup while crmd serves (a job); waits for it unless --detach.",
            discussion: """
                A consistent snapshot at one change-log revision, compressed and sealed with the backup \
                key in authenticated chunks, then verified. Refused when crmd has no backup key and \
                backup.encrypt is not false.
                """
        )

        @OptionGroup var options: ClientOptions
        @Option(
            name: .customLong("to"),
            help: ArgumentHelp("A folder on crmd's host (default: backup.dir).", valueName: "dir")
        )
        var directory = ""
        @Flag(help: "Print the job and return; follow it with crmctl job wait.")
        var detach = false
        @Flag(help: "No progress line.")
        var quiet = false

        func run() async throws {
            let request = Crm_V1_CreateBackupRequest.with { $0.dir = directory }
            let job = try await Daemon.withClient(options) { client in try await service(client).createBackup(request) }
            if detach {
                try JobCommand.print([job], response: job, options: options)
                return
            }
            let last = try await JobCommand.follow(job.name, options: options, quiet: quiet)
            try JobCommand.requireSuccess(last)
            let folder = (last.result as NSString).deletingLastPathComponent
            let listed = try await Daemon.withClient(options) { client in
                try await service(client).listBackups(.with { $0.dir = folder })
            }
            guard let made = listed.backups.first(where: { $0.path == last.result }) else {
                throw CommandError(.failure, "the backup \(last.result) is not in \(folder)")
            }
            try options.printer.fields(made, BackupCommand.fields(made))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the backups in a folder, newest first.")

        @OptionGroup var options: ClientOptions
        @Option(
            name: .customLong("dir"),
            help: ArgumentHelp("A folder on crmd's host (default: backup.dir).", valueName: "dir")
        )
        var directory = ""

        func run() async throws {
            let request = Crm_V1_ListBackupsRequest.with { $0.dir = directory }
            let response = try await Daemon.withClient(options) { client in
                try await service(client).listBackups(request)
            }
            switch options.printer.format {
            case .json:
                Terminal.write(try Printer.json(response, listing: "backups"))
            case .csv:
                var writer = CSVWriter()
                if options.printer.headers { writer.write(BackupCommand.fields(Crm_V1_Backup()).map(\.0)) }
                for backup in response.backups { writer.write(BackupCommand.fields(backup).map(\.1)) }
                Terminal.write(writer.text)
            case .table, .wide:
                let table = TextTable(
                    headers: ["FILE", "SIZE", "REVISION", "TIME", "ENCRYPTED", "VERIFIED"],
                    rows: response.backups.map { backup in
                        [
                            (backup.path as NSString).lastPathComponent, String(backup.sizeBytes),
                            String(backup.revision), RFC3339.format(backup.time, isSet: backup.hasTime),
                            backup.encrypted ? "yes" : "NO", backup.verified ? "yes" : "no",
                        ]
                    },
                    maxColumnWidth: 60
                )
                Terminal.write(options.printer.headers ? table.render() : table.renderRows())
                Terminal.warn(response.backups.isEmpty ? "no backups in \(response.dir)" : "in \(response.dir)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt and check every chunk and the database's integrity, without restoring.",
            discussion: "Exit 0 when the backup can be restored; otherwise 1 with what is wrong."
        )

        @OptionGroup var options: ClientOptions
        @Argument(help: ArgumentHelp("The backup file, on crmd's host.", valueName: "file"))
        var file: String

        func run() async throws {
            let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
            let request = Crm_V1_VerifyBackupRequest.with { $0.path = path }
            let backup = try await Daemon.withClient(options) { client in
                try await service(client).verifyBackup(request)
            }
            try options.printer.fields(backup, BackupCommand.fields(backup))
        }
    }
}
