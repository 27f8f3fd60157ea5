public import CRMCore
import Foundation
import GRDB
public import Logging
import Synchronization

/// The registry in one SQLite database (WAL, `synchronous=FULL`): the
/// embedded default of crmd and the only writer of its data.
public final class SQLiteRegistry: RegistryStore {
    let pool: DatabasePool
    /// Set when a write fails for want of space; cleared by the next write that commits.
    let diskFull = Atomic<Bool>(false)
    let logger: Logger
    /// The database file.
    public let path: String
    /// The master keys of the customers' data keys; nil: the data keys are stored raw.
    public let storageKeys: StorageKeys?

    /// Opens (creating if needed) and migrates the database at `path`.
    /// - Parameters:
    ///   - path: the database file; its folder must exist.
    ///   - logger: where storage events are logged.
    ///   - storageKeys: when given, every data key stored raw is wrapped under `current` at once.
    public init(path: String, logger: Logger, storageKeys: StorageKeys? = nil) throws {
        self.path = path
        self.logger = logger
        self.storageKeys = storageKeys
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            // Every acknowledged write survives power loss: fsync on each commit.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted and overwritten content is zeroed, not left in free space: an erased person's
            // email must not be readable in the file afterwards (docs/audit.md, "Erasure").
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
            if let storageKeys {
                // Keys stored raw (made before a storage key was given) are wrapped now.
                let wrapped = try pool.write { db in
                    try Self.rewrap(db, under: storageKeys, onlyRaw: true, limit: Int.max)
                }
                if wrapped > 0 {
                    logger.notice(
                        "data keys wrapped under the storage key",
                        metadata: ["keys": "\(wrapped)", "storage_key": "\(storageKeys.current.id)"]
                    )
                }
            }
        } catch let error as CRMError {
            throw error
        } catch {
            throw CRMError(.unavailable, "cannot open the database at \(path)", cause: String(describing: error))
        }
        logger.info("database open", metadata: ["path": "\(path)", "schema": "\(Schema.latestVersion)"])
    }

    /// The schema version this code migrates a database to.
    public static var schemaVersion: Int { Schema.latestVersion }

    /// Now, at the store's precision (microseconds).
    static func now() -> Date {
        Date(microsecondsSince1970: Date().microsecondsSince1970)
    }

    public func ping() async throws {
        try await read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        try pool.close()
        logger.info("database closed", metadata: ["path": "\(path)"])
    }

    public func statistics() async throws -> RegistryStatistics {
        let counts = try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                      (SELECT count(*) FROM customers WHERE delete_time IS NULL),
                      (SELECT count(*) FROM customers WHERE delete_time IS NOT NULL),
                      (SELECT count(*) FROM orders),
                      (SELECT count(*) FROM payments),
                      (SELECT count(*) FROM interactions),
                      sqlite_version()
                    """
            )!
            let applied = try Schema.migrator.appliedMigrations(db).count
            let numbers: [Int64] = (0..<5).map { row[$0] }
            let version: String = row[5]
            return (numbers, version, applied)
        }
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        var statistics = RegistryStatistics(
            customers: counts.0[0],
            deletedCustomers: counts.0[1],
            orders: counts.0[2],
            payments: counts.0[3],
            interactions: counts.0[4],
            databaseSizeBytes: size,
            schemaVersion: counts.2,
            storageEngine: "sqlite",
            storageVersion: counts.1
        )
        statistics.diskFreeBytes = Self.freeBytes(at: path)
        statistics.diskFull = diskFull.load(ordering: .relaxed)
        return statistics
    }

    // MARK: Access

    /// Runs `body` in a read transaction, mapping storage errors.
    ///
    /// Every read goes through here, point lookups included. GRDB's asynchronous
    /// read waits for a reader connection off Swift's cooperative pool; its
    /// synchronous `read` would block a pool thread while a reader is busy, and
    /// readers are released only when their async callers resume — on that same
    /// pool. With as few pool threads as cores, a handful of concurrent Gets and
    /// Lists froze the daemon for good that way (docs/architecture.md, "Threads").
    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as CRMError {
            throw error
        } catch {
            throw storageError(error)
        }
    }

    /// Runs `body` in a write transaction, mapping storage errors. The
    /// transaction commits (and is on disk) before this returns.
    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            let result = try await pool.write(body)
            diskFull.store(false, ordering: .relaxed)
            return result
        } catch let error as CRMError {
            throw error
        } catch let error as CallerError {
            throw error
        } catch {
            throw storageError(error)
        }
    }

    func storageError(_ error: any Error) -> CRMError {
        let mapped = Self.storageError(error, path: path)
        if mapped.code == .resourceExhausted { diskFull.store(true, ordering: .relaxed) }
        return mapped
    }

    static func storageError(_ error: any Error, path: String) -> CRMError {
        if let error = error as? DatabaseError {
            if error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                return CRMError(.alreadyExists, "a unique key is already taken", cause: String(describing: error))
            }
            // SQLITE_FULL: the write was rolled back whole, so nothing half-written stays behind.
            if error.resultCode == .SQLITE_FULL
                || error.extendedResultCode == .SQLITE_IOERR_WRITE
                    && Self.diskIsFull(at: path)
            {
                return CRMError(
                    .resourceExhausted,
                    "the disk holding \((path as NSString).deletingLastPathComponent) is full; nothing was written",
                    cause: String(describing: error)
                )
            }
        }
        return CRMError(.internalError, "storage failure", cause: String(describing: error))
    }

    /// Whether the file system holding `path` has no room left for a page.
    static func diskIsFull(at path: String) -> Bool {
        guard let free = freeBytes(at: path) else { return false }
        return free < 64 << 10
    }

    /// Bytes an unprivileged writer may still use on the file system holding `path`.
    static func freeBytes(at path: String) -> Int64? {
        var info = statvfs()
        guard statvfs((path as NSString).deletingLastPathComponent, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}

extension SQLiteRegistry {
    /// `VACUUM INTO` on a reader connection outside a transaction: SQLite reads the database in one
    /// read transaction of its own (a snapshot, in WAL mode beside running writers) into a compact new
    /// file. The head and schema version are then read from the copy itself.
    public func writeSnapshot(to target: String) async throws -> StoreSnapshot {
        let time = Self.now()
        do {
            try await pool.unsafeRead { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [target])
            }
            var snapshot = try Self.inspect(snapshot: target, integrity: false)
            snapshot.time = time
            return snapshot
        } catch let error as CRMError {
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: target)
            throw storageError(error)
        }
    }
}

extension SQLiteRegistry {
    public func inspectSnapshot(at path: String) async throws -> StoreSnapshot {
        try await onReaderThread { try Self.inspect(snapshot: path, integrity: true) }
    }

    /// Opens a database file read-only: `PRAGMA integrity_check` (when asked), its change-log head and
    /// schema version. For backups (their snapshot before it is sealed, their database once opened) and
    /// `crmd restore`.
    public static func inspect(snapshot path: String, integrity: Bool) throws -> StoreSnapshot {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let copy = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? copy.close() }
            return try copy.read { db in
                if integrity {
                    let result = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                    guard result == ["ok"] else {
                        throw CRMError(
                            .failedPrecondition,
                            "the database fails its integrity check: \(result.prefix(3).joined(separator: "; "))"
                        )
                    }
                }
                let applied =
                    try db.tableExists("grdb_migrations") ? try Schema.migrator.appliedMigrations(db).count : 0
                let head =
                    try db.tableExists("change_log")
                    ? try ChangeLogWriter.head(db) : ChangeLogHead(revision: 0, hash: ChangeRecord.genesis)
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                return StoreSnapshot(
                    head: head,
                    schemaVersion: applied,
                    time: Date(),
                    bytes: (attributes[.size] as? NSNumber)?.int64Value ?? 0
                )
            }
        } catch let error as CRMError {
            throw error
        } catch {
            throw CRMError(
                .failedPrecondition,
                "\(path) is not a readable crmd database",
                cause: String(describing: error)
            )
        }
    }

    /// Runs `body` on a thread of its own: file work off Swift's cooperative pool.
    private func onReaderThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

extension SQLiteRegistry {
    public var storageKeyID: String? { storageKeys?.current.id }

    /// Re-wraps, in transactions of a few hundred, every data key not wrapped by the current storage
    /// key (raw ones, and those of a previous key); writers go on between batches.
    public func rewrapDataKeys(progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws -> Int64 {
        guard let storageKeys else {
            throw CRMError(
                .failedPrecondition,
                "crmd has no storage key (storage.key_file; docs/security.md): nothing to wrap under"
            )
        }
        var total: Int64 = 0
        while true {
            let count = try await write { db in try Self.rewrap(db, under: storageKeys, onlyRaw: false, limit: 500) }
            if count == 0 { return total }
            total += Int64(count)
            progress(total)
        }
    }

    /// Re-wraps up to `limit` keys not under `keys.current` (with `onlyRaw`, only raw ones); returns how many.
    static func rewrap(_ db: Database, under keys: StorageKeys, onlyRaw: Bool, limit: Int) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, customer_id, key, wrap_id FROM personal_data_keys
                WHERE \(onlyRaw ? "wrap_id = ''" : "wrap_id <> ?") ORDER BY id LIMIT ?
                """,
            arguments: onlyRaw ? [limit] : [keys.current.id, limit]
        )
        let update = try db.cachedStatement(sql: "UPDATE personal_data_keys SET key = ?, wrap_id = ? WHERE id = ?")
        for row in rows {
            let customerID: Int64 = row[1]
            let key = try PersonalDataKey.fromStored(
                id: row[0],
                bytes: row[2],
                wrapID: row[3],
                customerID: customerID,
                keys: keys
            )
            let stored = try key.stored(for: customerID, under: keys)
            try update.execute(arguments: [stored.bytes, stored.wrapID, key.id])
        }
        return rows.count
    }
}
