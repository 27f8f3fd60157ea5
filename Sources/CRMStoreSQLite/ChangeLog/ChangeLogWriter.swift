import CRMCore
import Foundation
import GRDB

/// Appends to the change log inside one write transaction: the entries of the transaction's writes,
/// chained after the newest entry, their personal values sealed under each customer's key.
///
/// Lives only as long as its transaction (it keeps the head and the keys it has read in memory).
final class ChangeLogWriter {
    let db: Database
    let actor: ChangeActor
    let now: Date
    /// Wraps new data keys and opens stored ones; nil: data keys are stored raw.
    let storageKeys: StorageKeys?
    private var head: ChangeLogHead?
    private var keys: [Int64: PersonalDataKey] = [:]

    init(db: Database, actor: ChangeActor, now: Date, storageKeys: StorageKeys?) {
        self.db = db
        self.actor = actor
        self.now = now
        self.storageKeys = storageKeys
    }

    /// What the writer holds in memory, to go back to when a savepoint is rolled back.
    struct Mark {
        fileprivate let head: ChangeLogHead?
        fileprivate let keys: [Int64: PersonalDataKey]
    }

    func mark() -> Mark { Mark(head: head, keys: keys) }

    /// Forgets what was appended and made since `mark`: its savepoint was rolled back.
    func restore(_ mark: Mark) {
        head = mark.head
        keys = mark.keys
    }

    /// Records a change of one record from `before` to `after` (nil for a creation or a removal).
    func append(_ kind: ChangeKind, before: (any ChangeImaging)?, after: (any ChangeImaging)?) throws {
        try append(kind, before: before?.changeImage, after: after?.changeImage)
    }

    func append(_ kind: ChangeKind, before: ChangeImage?, after: ChangeImage?) throws {
        let image = (after ?? before)!
        let needsKey = !image.personal.isEmpty && image.customerID != 0
        let previous = try currentHead()
        let record = try ChangeRecord.make(
            revision: previous.revision + 1,
            time: now,
            actor: actor,
            kind: kind,
            before: before,
            after: after,
            key: needsKey
                ? try key(
                    forCustomer: image.customerID,
                    isNew: kind == .create && before == nil && image.resource.hasPrefix("customers/")
                ) : nil,
            previous: previous.hash
        )
        try Self.insert(db, record)
        head = ChangeLogHead(revision: record.revision, hash: record.hash)
    }

    /// The key that seals `customerID`'s personal values, made on first use.
    /// - Parameter isNew: the customer was created in this transaction, so it has no key yet (an import
    ///   of new customers skips the lookup).
    func key(forCustomer customerID: Int64, isNew: Bool = false) throws -> PersonalDataKey {
        if let key = keys[customerID] { return key }
        let key: PersonalDataKey
        if !isNew, let stored = try Self.storedKey(db, customerID: customerID, keys: storageKeys) {
            key = stored
        } else {
            let made = PersonalDataKey.generate(id: 0)
            let stored = try made.stored(for: customerID, under: storageKeys)
            try db.cachedStatement(sql: "INSERT INTO personal_data_keys (customer_id, key, wrap_id) VALUES (?, ?, ?)")
                .execute(arguments: [customerID, stored.bytes, stored.wrapID])
            key = PersonalDataKey(id: db.lastInsertedRowID, bytes: made.bytes)
        }
        keys[customerID] = key
        return key
    }

    /// Destroys the customer's key: every entry sealed with it becomes unreadable. The next entry about
    /// the customer gets a new key.
    func destroyKey(forCustomer customerID: Int64) throws {
        keys[customerID] = nil
        try db.execute(sql: "DELETE FROM personal_data_keys WHERE customer_id = ?", arguments: [customerID])
    }

    private func currentHead() throws -> ChangeLogHead {
        if let head { return head }
        let found = try Self.head(db)
        head = found
        return found
    }

    static func head(_ db: Database) throws -> ChangeLogHead {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT revision, hash FROM change_log ORDER BY revision DESC LIMIT 1")
        )
        guard let row else { return ChangeLogHead(revision: 0, hash: ChangeRecord.genesis) }
        return ChangeLogHead(revision: row[0], hash: row[1])
    }

    static func storedKey(_ db: Database, customerID: Int64, keys: StorageKeys?) throws -> PersonalDataKey? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, key, wrap_id FROM personal_data_keys WHERE customer_id = ?"),
            arguments: [customerID]
        ).map {
            try PersonalDataKey.fromStored(id: $0[0], bytes: $0[1], wrapID: $0[2], customerID: customerID, keys: keys)
        }
    }

    static let columns =
        "revision, time, uid, gid, pid, executable, method, resource, customer_id, kind, before, after, sealed, key_id, hash"

    static func insert(_ db: Database, _ record: ChangeRecord) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO change_log (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        try statement.execute(arguments: [
            record.revision, record.time.microsecondsSince1970, Int64(record.actor.uid), Int64(record.actor.gid),
            Int64(record.actor.pid), record.actor.executable, record.actor.method, record.resource,
            record.customerID, record.kind.rawValue, record.before, record.after, record.sealed, record.keyID,
            record.hash,
        ])
    }

    /// Reads a row selected with ``columns``.
    static func decode(_ row: Row) throws -> ChangeRecord {
        let uid: Int64 = row[2]
        let gid: Int64 = row[3]
        let pid: Int64 = row[4]
        let kindText: String = row[9]
        guard let kind = ChangeKind(rawValue: kindText) else {
            throw CRMError(.dataLoss, "change-log revision \(row[0] as Int64) has an unknown kind \"\(kindText)\"")
        }
        return ChangeRecord(
            revision: row[0],
            time: Date(microsecondsSince1970: row[1]),
            actor: ChangeActor(
                uid: UInt32(truncatingIfNeeded: uid),
                gid: UInt32(truncatingIfNeeded: gid),
                pid: Int32(truncatingIfNeeded: pid),
                executable: row[5],
                method: row[6]
            ),
            resource: row[7],
            customerID: row[8],
            kind: kind,
            before: row[10],
            after: row[11],
            sealed: row[12],
            keyID: row[13],
            hash: row[14]
        )
    }
}
