public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore

/// `crm.v1.BackupService`: online backups as jobs, their listing and verification (docs/operations.md).
public struct BackupService<Store: StoreMaintenance & ChangeLogStore>: Crm_V1_BackupService.SimpleServiceProtocol {
    let backups: Backups<Store>
    let jobs: JobRunner

    public init(backups: Backups<Store>, jobs: JobRunner) {
        self.backups = backups
        self.jobs = jobs
    }

    public func createBackup(request: Crm_V1_CreateBackupRequest, context: ServerContext) async throws -> Crm_V1_Job {
        // Refused at once, not as a failed job, when there is no key.
        _ = try backups.key()
        let backups = self.backups
        let folder = request.dir
        do {
            let job = try jobs.start(
                kind: "backup",
                description: "back up to \(folder.isEmpty ? backups.settings.directory : folder)",
                creatorUID: Caller.current?.uid ?? 0
            ) { progress in
                let made = try await backups.create(in: folder) { fraction, stage in
                    progress.report(stage: stage, fraction: fraction, message: "")
                }
                return made.path
            }
            return Crm_V1_Job(job)
        } catch let error as JobError {
            throw JobService.rpcError(error)
        }
    }

    public func listBackups(
        request: Crm_V1_ListBackupsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListBackupsResponse {
        let (folder, found) = try await backups.list(in: request.dir)
        return .with {
            $0.dir = folder
            $0.backups = found.map(Crm_V1_Backup.init)
        }
    }

    public func verifyBackup(request: Crm_V1_VerifyBackupRequest, context: ServerContext) async throws -> Crm_V1_Backup
    {
        guard request.path.hasPrefix("/") else {
            throw CRMError.invalid("path", "must be an absolute path on crmd's host")
        }
        return Crm_V1_Backup(try await backups.verify(request.path))
    }
}

extension Crm_V1_Backup {
    init(_ summary: BackupSummary) {
        self.init()
        path = summary.path
        sizeBytes = summary.sizeBytes
        revision = summary.header.revision
        headHash = summary.header.headHash
        time = .init(microsecondDate: summary.time)
        encrypted = summary.header.encrypted
        keyID = summary.header.keyID
        schemaVersion = Int32(summary.header.schemaVersion)
        crmdVersion = summary.header.crmdVersion
        verified = summary.verified
        databaseBytes = summary.header.databaseBytes
    }
}
