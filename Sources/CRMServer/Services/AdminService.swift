public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore
import SwiftProtobuf

/// `crm.v1.AdminService`: version and statistics of the running daemon.
public struct AdminService<Store: StoreMaintenance & ChangeLogStore & QualityStore>:
    Crm_V1_AdminService.SimpleServiceProtocol
{
    let store: Store
    /// Where key rotations run.
    let jobs: JobRunner
    let dataDirectory: String
    let startTime: Date
    let started: ContinuousClock.Instant
    /// The roles callers hold; nil when none are checked.
    let roles: RolePolicy?

    public init(store: Store, jobs: JobRunner, dataDirectory: String, roles: RolePolicy? = nil) {
        self.store = store
        self.jobs = jobs
        self.dataDirectory = dataDirectory
        self.startTime = Date()
        self.started = .now
        self.roles = roles
    }

    public func whoAmI(request: Crm_V1_WhoAmIRequest, context: ServerContext) async throws -> Crm_V1_WhoAmIResponse {
        guard let caller = Caller.current else {
            throw RPCError(code: .permissionDenied, message: "the caller's credentials could not be read")
        }
        let identity = await onOwnThread("crmd-identity") { UnixIdentity.lookUp(uid: caller.uid, gid: caller.gid) }
        var answer = Crm_V1_WhoAmIResponse()
        answer.uid = caller.uid
        answer.gid = caller.gid
        answer.pid = caller.pid
        answer.user = identity.user ?? ""
        answer.groups = identity.groups.sorted()
        answer.role = (await roles?.role(of: caller) ?? .admin).description
        answer.rolesChecked = roles != nil
        return answer
    }

    public func getVersion(request: Crm_V1_GetVersionRequest, context: ServerContext) async throws -> Crm_V1_VersionInfo
    {
        let statistics = try await store.statistics()
        var info = Crm_V1_VersionInfo()
        info.version = CRMDVersion.current
        info.apiVersion = "crm.v1"
        info.storageEngine = statistics.storageEngine
        info.storageVersion = statistics.storageVersion
        info.schemaVersion = Int32(statistics.schemaVersion)
        return info
    }

    public func getStats(request: Crm_V1_GetStatsRequest, context: ServerContext) async throws -> Crm_V1_Stats {
        let statistics = try await store.statistics()
        var stats = Crm_V1_Stats()
        stats.customers = statistics.customers
        stats.deletedCustomers = statistics.deletedCustomers
        stats.orders = statistics.orders
        stats.payments = statistics.payments
        stats.interactions = statistics.interactions
        stats.databaseSizeBytes = statistics.databaseSizeBytes
        let uptime = ContinuousClock.now - started
        stats.uptime.seconds = uptime.components.seconds
        stats.uptime.nanos = Int32(uptime.components.attoseconds / 1_000_000_000)
        stats.startTime = .init(microsecondDate: startTime)
        stats.dataDir = dataDirectory
        stats.diskFreeBytes = statistics.diskFreeBytes ?? 0
        stats.diskFull = statistics.diskFull
        stats.storageKeyID = store.storageKeyID ?? ""
        return stats
    }

    public func rotateStorageKey(
        request: Crm_V1_RotateStorageKeyRequest,
        context: ServerContext
    ) async throws -> Crm_V1_Job {
        guard let keyID = store.storageKeyID else {
            throw CRMError(
                .failedPrecondition,
                "crmd has no storage key: give it $CREDENTIALS_DIRECTORY/storage-key or storage.key_file (docs/security.md)"
            )
        }
        let store = self.store
        do {
            let job = try jobs.start(
                kind: "rotate-key",
                description: "re-wrap every data key under storage key \(keyID) and seal what is in clear",
                creatorUID: Caller.current?.uid ?? 0
            ) { progress in
                let count = try await store.rewrapDataKeys { done in
                    progress.report(stage: "re-wrap", fraction: 0, message: "\(done) keys re-wrapped")
                }
                // What was written in clear before crmd had a key (or before an attribute was declared
                // sensitive) is sealed now.
                let sealed = try await store.sealClearValues { done in
                    progress.report(stage: "seal", fraction: 0, message: "\(done) records sealed")
                }
                _ = try await store.recordEvent(
                    resource: "storage-key",
                    details: [
                        "event": "rotate", "storage_key": keyID, "rewrapped": String(count),
                        "sealed_customers": String(sealed.customers),
                        "sealed_interactions": String(sealed.interactions),
                    ]
                )
                return "storage-keys/\(keyID)"
            }
            return Crm_V1_Job(job)
        } catch let error as JobError {
            throw JobService.rpcError(error)
        }
    }
}

extension AdminService {
    public func getQualityReport(
        request: Crm_V1_GetQualityReportRequest,
        context: ServerContext
    ) async throws -> Crm_V1_QualityReport {
        // A century is the most a date of the registry can be behind; more would leave the range of times.
        guard (0...36_500).contains(request.staleDays) else {
            throw CRMError.invalid("stale_days", "must be between 0 and 36500 (got \(request.staleDays))")
        }
        guard (0...50).contains(request.examples) else {
            throw CRMError.invalid("examples", "must be between 0 and 50")
        }
        let days = request.staleDays == 0 ? 365 : Int(request.staleDays)
        let now = Date()
        let report = try await store.qualityReport(
            staleBefore: now.addingTimeInterval(-Double(days) * 86_400),
            examples: request.examples == 0 ? 5 : Int(request.examples)
        )
        var message = Crm_V1_QualityReport()
        message.customers = report.customers
        message.reportTime = Google_Protobuf_Timestamp(date: now)
        message.completeness = report.completeness.map { field in
            .with {
                $0.field = field.field
                $0.filled = field.filled
                $0.fraction = report.customers > 0 ? Double(field.filled) / Double(report.customers) : 0
            }
        }
        message.findings = report.findings.map { finding in
            .with {
                $0.check = finding.check
                $0.description_p = finding.description
                $0.count = finding.count
                $0.examples = finding.examples.map { example in
                    .with {
                        $0.name = example.name
                        $0.displayName = example.displayName
                        $0.detail = example.detail
                    }
                }
            }
        }
        return message
    }
}

/// The daemon's version, reported by `crmd --version` and GetVersion.
public enum CRMDVersion {
    public static let current = "0.1.0"
}
