import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

@testable import CRMServer

/// Backups through a real daemon, crmctl and `crmd restore` (docs/operations.md).
@Suite("Backups: online, encrypted, verified, restored offline")
struct BackupTests {
    /// A folder holding a backup key (0600), and the configuration that names it.
    final class KeyFolder {
        let folder: String
        let keyPath: String

        init() throws {
            folder = NSTemporaryDirectory() + "crm-key-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            keyPath = folder + "/backup-key"
            var generator = SystemRandomNumberGenerator()
            let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            _ = FileManager.default.createFile(atPath: keyPath, contents: key, attributes: [.posixPermissions: 0o600])
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        var configuration: String { "backup:\n  key_file: \(keyPath)\n" }
    }

    static func restore(_ arguments: [String], scratch: String) async throws -> CommandResult {
        try await runCommand(BuildProducts.crmd, ["restore"] + arguments, scratch: scratch, timeout: .seconds(120))
    }

    @Test("a backup taken while 16 writers write restores to exactly the registry at its revision")
    func backupUnderWritersRestores() async throws {
        let keys = try KeyFolder()
        try await withDaemon(configuration: keys.configuration) { daemon in
            for index in 0..<50 { _ = try await daemon.createCustomer(Fixture.customer("Before \(index)")) }
            // 16 writers keep creating and updating while the backup runs.
            let writing = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<16 {
                        group.addTask {
                            let connection = try daemon.connect()
                            defer { Task { await connection.close() } }
                            for step in 0..<25 {
                                _ = try await connection.customers.createCustomer(
                                    .with { $0.customer = Fixture.customer("Writer \(writer)-\(step)") }
                                )
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let made = try await daemon.crmctl(["backup", "create", "-o", "json"])
            try await writing.value
            try #require(made.succeeded, "\(made)")
            let backup = try Crm_V1_Backup(jsonString: made.stdout)
            #expect(backup.encrypted && backup.verified && backup.revision >= 50, "\(backup)")
            #expect(backup.path.hasPrefix(daemon.dataDir + "/backups/") && backup.path.hasSuffix(".crmdbak"))
            let file = try Data(contentsOf: URL(fileURLWithPath: backup.path))
            #expect(file.range(of: Data("Before 1".utf8)) == nil, "no plaintext in the file")

            // No plain copy stays behind, and none was ever in the backup folder.
            let inBackups = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDir + "/backups")
            #expect(
                Set(inBackups) == [
                    (backup.path as NSString).lastPathComponent,
                    (backup.path as NSString).lastPathComponent + ".verified",
                ]
            )
            let inData = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDir)
            #expect(!inData.contains { $0.hasPrefix(".backup-scratch-") }, "\(inData)")
            let listed = try await daemon.crmctl(["backup", "list", "-o", "json"])
            #expect(try Crm_V1_ListBackupsResponse(jsonString: listed.stdout).backups.map(\.path) == [backup.path])
            let verified = try await daemon.crmctl(["backup", "verify", backup.path, "-o", "json"])
            #expect(verified.succeeded, "\(verified)")

            // What the registry held at the backup's revision, from its own change log.
            let all = try await daemon.crmctl(["audit", "list", "--all", "--page-size", "1000", "-o", "json"])
            let log = try Crm_V1_ListChangesResponse(jsonString: all.stdout).changes
            let upTo = log.filter { $0.revision <= backup.revision }
            let createdUpTo = upTo.filter { $0.kind == .create && $0.resource.hasPrefix("customers/") }.count
            #expect(log.count > upTo.count || log.count == 50 + 400 + 1, "writers went on past the snapshot or all fit")

            // Offline restore into a new folder, then a daemon on it.
            let target = daemon.root + "/restored"
            let restored = try await Self.restore(
                [backup.path, "--data-dir", target, "--key-file", keys.keyPath],
                scratch: daemon.root
            )
            try #require(restored.succeeded, "\(restored)")
            #expect(restored.stdout.contains("customers: \(createdUpTo) "), "\(restored.stdout)")
            #expect(restored.stdout.contains("change log: revision \(backup.revision), head \(backup.headHash)"))

            try await withDaemon(dataDir: target) { again in
                #expect(try await again.stats().customers == Int64(createdUpTo))
                let check = try await again.crmctl(["audit", "verify", "-o", "json"])
                let result = try Crm_V1_VerifyChangesResponse(jsonString: check.stdout)
                #expect(result.intact && result.headRevision == backup.revision + 1, "\(check)")
                // The restored log is the original's, entry for entry, up to the revision (plus the
                // restore's own entry).
                let restoredLog = try await again.crmctl([
                    "audit", "list", "--all", "--page-size", "1000", "-o", "json",
                ])
                let entries = try Crm_V1_ListChangesResponse(jsonString: restoredLog.stdout).changes
                #expect(entries.dropLast().map(\.hash) == upTo.map(\.hash))
                #expect(entries.last?.method == "crmd:restore" && entries.last?.resource == "backups")
            }

            // Into a folder that is not empty: refused, then --force moves the old files aside.
            let again = try await Self.restore(
                [backup.path, "--data-dir", target, "--key-file", keys.keyPath],
                scratch: daemon.root
            )
            #expect(again.exitCode == 1 && again.stderr.contains("is not empty"), "\(again)")
            let forced = try await Self.restore(
                [backup.path, "--data-dir", target, "--key-file", keys.keyPath, "--force"],
                scratch: daemon.root
            )
            #expect(forced.succeeded && forced.stdout.contains("moved the folder's"), "\(forced)")
        }
    }

    @Test("damage and a wrong key make verify and restore fail and write nothing; no key, no backup")
    func refusals() async throws {
        let keys = try KeyFolder()
        try await withDaemon(configuration: keys.configuration) { daemon in
            _ = try await daemon.createCustomer(Fixture.customer("Kept Safe"))
            let made = try await daemon.crmctl(["backup", "create", "-o", "json"])
            try #require(made.succeeded, "\(made)")
            let path = try Crm_V1_Backup(jsonString: made.stdout).path
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[bytes.count / 2] ^= 0x01
            let damaged = daemon.root + "/damaged.crmdbak"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let verify = try await daemon.crmctl(["backup", "verify", damaged])
            #expect(verify.exitCode == 1 && verify.stderr.contains("does not authenticate"), "\(verify)")
            let restore = try await Self.restore(
                [damaged, "--data-dir", daemon.root + "/nowhere", "--key-file", keys.keyPath],
                scratch: daemon.root
            )
            #expect(restore.exitCode == 1 && restore.stderr.contains("nothing was restored"), "\(restore)")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: daemon.root + "/nowhere")) == [])

            let wrongKey = daemon.root + "/wrong-key"
            _ = FileManager.default.createFile(atPath: wrongKey, contents: Data(repeating: 9, count: 32))
            let wrong = try await Self.restore(
                [path, "--data-dir", daemon.root + "/nowhere", "--key-file", wrongKey],
                scratch: daemon.root
            )
            #expect(wrong.exitCode == 1 && wrong.stderr.contains("sealed with key id"), "\(wrong)")
        }
        // No key and no `encrypt: false`: refused, saying how to give one.
        try await withDaemon { daemon in
            let refused = try await daemon.crmctl(["backup", "create"])
            #expect(refused.exitCode == 1, "\(refused)")
            #expect(
                refused.stderr.contains("FAILED_PRECONDITION") && refused.stderr.contains("no backup key"),
                "\(refused)"
            )
        }
    }

    @Test("retention over a simulated month keeps exactly the newest 7, one a day for 14 days, one a week for 8 weeks")
    func retention() {
        // Four backups a day for 31 days, at 00, 06, 12 and 18 UTC.
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z, a Thursday
        let backups = (0..<(31 * 4)).map { index in
            (path: String(format: "b%03d", index), time: start.addingTimeInterval(Double(index) * 6 * 3600))
        }
        let kept = BackupSettings.Retention(last: 7, daily: 14, weekly: 8).kept(backups)
        let newestFirst = backups.reversed().map(\.path)
        var expected = Set(newestFirst.prefix(7))
        // The newest of each of the last 14 days: the 18:00 backup of days 17…30.
        for day in 17...30 { expected.insert(String(format: "b%03d", day * 4 + 3)) }
        // The newest of each ISO week: Sundays 18:00 (days 3, 10, 17, 24) and the last day (30).
        for day in [3, 10, 17, 24, 30] { expected.insert(String(format: "b%03d", day * 4 + 3)) }
        #expect(kept == expected, "\(kept.sorted())")
        #expect(BackupSettings.Retention(last: 1, daily: 0, weekly: 0).kept(backups) == ["b123"])
    }
}
