public import CRMCore
public import Foundation
import GRDB

extension SQLiteRegistry {
    public func changes(_ query: ChangeQuery) async throws -> [ChangeEntry] {
        var conditions = ["revision > ?"]
        var arguments: StatementArguments = [query.afterRevision]
        if !query.resource.isEmpty {
            if query.resource.contains("/") {
                conditions.append("resource = ?")
                _ = arguments.append(contentsOf: [query.resource])
            } else {
                // A collection: its names, through the index on resource, or an event's resource itself.
                conditions.append("(resource = ? OR (resource > ? AND resource < ?))")
                _ = arguments.append(contentsOf: [query.resource, query.resource + "/", query.resource + "0"])
            }
        }
        if let customerID = query.customerID {
            conditions.append("customer_id = ?")
            _ = arguments.append(contentsOf: [customerID])
        }
        if let uid = query.uid {
            conditions.append("uid = ?")
            _ = arguments.append(contentsOf: [Int64(uid)])
        }
        if let since = query.since {
            conditions.append("time >= ?")
            _ = arguments.append(contentsOf: [since.microsecondsSince1970])
        }
        if !query.method.isEmpty {
            conditions.append(query.method.hasPrefix("/") ? "method = ?" : "substr(method, -length(?) - 1) = '/' || ?")
            _ = arguments.append(
                contentsOf: query.method.hasPrefix("/") ? [query.method] : [query.method, query.method]
            )
        }
        _ = arguments.append(contentsOf: [max(1, query.limit)])
        let sql = """
            SELECT \(ChangeLogWriter.columns) FROM change_log
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY revision LIMIT ?
            """
        let storageKeys = self.storageKeys
        return try await read { [arguments] db in
            let records = try Row.fetchAll(db, sql: sql, arguments: arguments).map(ChangeLogWriter.decode)
            var keys: [Int64: PersonalDataKey] = [:]
            for customerID in Set(records.filter { $0.sealed != nil }.map(\.customerID)) {
                keys[customerID] = try ChangeLogWriter.storedKey(db, customerID: customerID, keys: storageKeys)
            }
            return try records.map { record in
                do {
                    return try ChangeEntry(record, key: keys[record.customerID])
                } catch {
                    throw CRMError(
                        .dataLoss,
                        "change-log revision \(record.revision) cannot be read; run crmctl audit verify",
                        cause: String(describing: error)
                    )
                }
            }
        }
    }

    public func changeLogHead() async throws -> ChangeLogHead {
        try await read { db in try ChangeLogWriter.head(db) }
    }

    public func recordEvent(resource: String, details: [String: String]) async throws -> ChangeLogHead {
        try await writing { transaction in
            let fields = details.keys.sorted().map { key -> ChangeImage.Field in
                var json = ""
                JSONString.append(details[key]!, to: &json)
                return ChangeImage.Field(key, json)
            }
            try transaction.changes.append(
                .event,
                before: nil,
                after: ChangeImage(resource: resource, customerID: 0, clear: fields)
            )
            return try ChangeLogWriter.head(transaction.db)
        }
    }

    public func verifyChangeLog(expectedHead: Data?) async throws -> ChangeLogVerification {
        let storageKeys = self.storageKeys
        return try await read { db in
            var verification = ChangeLogVerification()
            try Self.verifyChain(db, expectedHead: expectedHead, into: &verification)
            try Self.verifyRecords(db, storageKeys: storageKeys, into: &verification)
            verification.problems.sort { ($0.revision, $0.resource) < ($1.revision, $1.resource) }
            return verification
        }
    }

    /// Recomputes every hash in revision order; a revision out of sequence or a hash that does not
    /// follow is a problem. The walk goes on with the stored hash, so one edited entry names itself.
    private static func verifyChain(
        _ db: Database,
        expectedHead: Data?,
        into verification: inout ChangeLogVerification
    ) throws {
        var previous = ChangeLogHead(revision: 0, hash: ChangeRecord.genesis)
        var found = false
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT \(ChangeLogWriter.columns) FROM change_log ORDER BY revision"
        )
        while let row = try rows.next() {
            let record: ChangeRecord
            do {
                record = try ChangeLogWriter.decode(row)
            } catch {
                verification.report(row[0], "", "cannot be read: \(error)")
                continue
            }
            verification.entries += 1
            if record.revision != previous.revision + 1 {
                verification.report(
                    record.revision,
                    record.resource,
                    "follows revision \(previous.revision): revisions \(previous.revision + 1)…\(record.revision - 1) are missing"
                )
            }
            if record.chainHash(previous: previous.hash) != record.hash {
                verification.report(
                    record.revision,
                    record.resource,
                    "the entry was altered: its hash does not match its content and the hash of revision \(previous.revision)"
                )
            }
            if let expectedHead, record.hash == expectedHead { found = true }
            previous = ChangeLogHead(revision: record.revision, hash: record.hash)
        }
        verification.head = previous
        if expectedHead != nil { verification.expectedHeadFound = found }
    }

    /// Holds every live record to the after-image of its latest entry, and every record whose latest
    /// entry says it exists to be there.
    private static func verifyRecords(
        _ db: Database,
        storageKeys: StorageKeys?,
        into verification: inout ChangeLogVerification
    ) throws {
        let collections: [(String, (Database, Int64) throws -> (any ChangeImaging)?)] = [
            ("customers", { try fetchCustomer($0, id: $1, keys: storageKeys) }),
            ("orders", { try fetchOrder($0, where: "o.id = ?", $1) }),
            ("payments", { try fetchPayment($0, where: "p.id = ?", $1) }),
            ("interactions", { try fetchInteraction($0, where: "i.id = ?", $1, keys: storageKeys) }),
        ]
        var keys = KeyCache(storageKeys: storageKeys)
        for (collection, fetch) in collections {
            var matched: Int64 = 0
            let latest = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(ChangeLogWriter.columns) FROM change_log
                    WHERE revision IN (
                      SELECT max(revision) FROM change_log WHERE resource > ? AND resource < ? GROUP BY resource
                    )
                    """,
                arguments: [collection + "/", collection + "0"]
            )
            while let row = try latest.next() {
                guard let record = try? ChangeLogWriter.decode(row),
                    let id = Int64(record.resource.dropFirst(collection.count + 1))
                else { continue }
                let live = try fetch(db, id)
                switch (live, record.after) {
                case (nil, nil):
                    continue
                case (nil, _?):
                    verification.report(
                        record.revision,
                        record.resource,
                        "is missing: revision \(record.revision) is its latest entry and did not remove it"
                    )
                case (_?, nil):
                    verification.report(
                        record.revision,
                        record.resource,
                        "exists, but revision \(record.revision) removed it"
                    )
                case (let live?, _):
                    matched += 1
                    verification.recordsChecked += 1
                    let differing = try differingFields(live.changeImage, record, key: keys.key(db, record.customerID))
                    if !differing.isEmpty {
                        verification.report(
                            record.revision,
                            record.resource,
                            "does not match the after-image of its latest entry, revision \(record.revision): "
                                + (differing.count == 1
                                    ? "\(differing[0]) differs" : differing.joined(separator: ", ") + " differ")
                        )
                    }
                }
            }
            let live = try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(collection)") ?? 0
            if live != matched {
                // Rows no entry describes: written behind the daemon's back.
                let orphans = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM \(collection) t WHERE NOT EXISTS
                          (SELECT 1 FROM change_log WHERE resource = '\(collection)/' || t.id)
                        ORDER BY id LIMIT 100
                        """
                )
                for id in orphans {
                    verification.report(
                        0,
                        "\(collection)/\(id)",
                        "has no change-log entry: it was written behind crmd's back"
                    )
                }
            }
        }
    }

    /// The names of the fields whose live value is not the one `record` left; never the values.
    private static func differingFields(
        _ live: ChangeImage,
        _ record: ChangeRecord,
        key: PersonalDataKey?
    ) throws -> [String] {
        let recorded = try record.after.map(ChangeImage.fields(ofObject:)) ?? []
        var differing = ChangeImage(resource: live.resource, customerID: 0, clear: live.clear)
            .fields(differingFrom: ChangeImage(resource: live.resource, customerID: 0, clear: recorded)).clear
            .map(\.name)
        if live.clear.count != recorded.count { differing.append("(the set of fields)") }
        if !live.personal.isEmpty {
            guard let sealed = record.sealed else { return differing + live.personal.map(\.name) }
            guard let key, key.id == record.keyID,
                let opened = try? key.open(sealed),
                let personal = try opened.after.map(ChangeImage.fields(ofObject:))
            else { return differing + ["(sealed personal fields: cannot be opened)"] }
            differing += live.fields(
                differingFrom: ChangeImage(resource: live.resource, customerID: 0, personal: personal)
            )
            .personal.map(\.name)
        }
        return differing
    }

    /// Customers' keys, read once each during a verification.
    private struct KeyCache {
        let storageKeys: StorageKeys?
        var keys: [Int64: PersonalDataKey?] = [:]

        mutating func key(_ db: Database, _ customerID: Int64) throws -> PersonalDataKey? {
            if let key = keys[customerID] { return key }
            let key = try ChangeLogWriter.storedKey(db, customerID: customerID, keys: storageKeys)
            if keys.count > 10_000 { keys.removeAll(keepingCapacity: true) }
            keys[customerID] = key
            return key
        }
    }

    public func eraseCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer {
        let erased = try await writing { transaction in
            let db = transaction.db
            let stored = try Self.requireCustomer(db, id: id, keys: transaction.changes.storageKeys)
            try Self.checkVersion(stored.version, expected: expectedVersion, name: stored.resourceName)
            // Read before the key goes: a sealed body opens only with it.
            let interactions = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM interactions WHERE customer_id = ? ORDER BY id",
                arguments: [id]
            ).map { try Self.requireInteraction(db, id: $0, keys: transaction.changes.storageKeys) }
            // Then the key: every entry sealed with it, old values of this erasure included, becomes
            // unreadable; what follows is sealed under a new one.
            try transaction.changes.destroyKey(forCustomer: id)
            var anonymous = stored
            anonymous.displayName = "erased customer \(id)"
            anonymous.email = ""
            anonymous.phone = ""
            anonymous.attributes = [:]
            anonymous.address = PostalAddress(country: stored.address.country)
            let saved = try Self.overwriteCustomer(
                db,
                anonymous,
                now: transaction.now,
                field: "customer",
                changes: transaction.changes
            )
            try transaction.changes.append(
                .erase,
                before: stored.changeImage.withoutPersonalValues,
                after: saved.changeImage
            )
            for interaction in interactions {
                var blank = interaction
                blank.subject = ""
                blank.body = ""
                let saved =
                    interaction.hasSameContent(as: blank)
                    ? interaction
                    : try Self.saveInteraction(
                        db,
                        blank,
                        now: transaction.now,
                        field: "interaction",
                        changes: transaction.changes
                    )
                try transaction.changes.append(
                    .erase,
                    before: interaction.changeImage.withoutPersonalValues,
                    after: saved.changeImage
                )
            }
            return saved
        }
        try await purgeFreedContent()
        return erased
    }

    /// Rewrites the search index whole, so that the erased words leave its older segments, and moves
    /// the write-ahead log into the database (where freed pages are zeroed) and truncates it.
    func purgeFreedContent() async throws {
        try await write { db in
            try db.execute(sql: "INSERT INTO customers_fts(customers_fts) VALUES ('optimize')")
        }
        do {
            _ = try await pool.writeWithoutTransaction { db in
                try db.checkpoint(.truncate)
            }
        } catch {
            // A long read keeps old frames alive; the next checkpoint takes them.
            logger.warning(
                "the write-ahead log could not be truncated after an erasure",
                metadata: ["error": "\(error)"]
            )
        }
    }
}

extension ChangeLogVerification {
    fileprivate mutating func report(_ revision: Int64, _ resource: String, _ description: String) {
        guard problems.count < 100 else { return }
        problems.append(Problem(revision: revision, resource: resource, description: description))
    }
}

extension ChangeImage {
    /// The image with every personal value replaced by `null`: what an erasure keeps of the person.
    var withoutPersonalValues: ChangeImage {
        var image = self
        image.personal = personal.map { Field($0.name, "null") }
        return image
    }
}
