public import CRMCore
import Foundation
import GRDB

/// A customer's values sealed at rest when crmd has a storage key (docs/security.md): the street and the
/// attributes declared sensitive, kept together in `customers.sealed` as one AES-256-GCM blob under the
/// customer's data key, bound to the customer. Their clear columns hold nothing of them (`street` is
/// empty, `attributes` lacks the sensitive keys), so the database file does not reveal them and a filter
/// cannot reach them (``SQLColumns/sealedPaths``).
enum SealedCustomerFields {
    /// The customer as its clear columns keep it, and the values to seal as a JSON object text (keyed
    /// by path: `address.street`, `attributes.income`); nil when there is no key or nothing to seal.
    static func split(_ customer: Customer, keys: StorageKeys?) -> (clear: Customer, sealed: String?) {
        guard let keys else { return (customer, nil) }
        var clear = customer
        var sealed: [String: String] = [:]
        if !customer.address.street.isEmpty {
            sealed["address.street"] = customer.address.street
            clear.address.street = ""
        }
        for name in keys.sensitiveAttributes {
            if let value = clear.attributes.removeValue(forKey: name) {
                sealed["attributes.\(name)"] = value
            }
        }
        return (clear, sealed.isEmpty ? nil : JSONText.object(sealed))
    }

    /// `customer` with the values of `sealed` (a text made by ``split(_:keys:)``) put back.
    static func merge(_ sealed: String, into customer: inout Customer) throws {
        for (path, value) in try JSONText.parseObject(sealed) {
            if path == "address.street" {
                customer.address.street = value
            } else if path.hasPrefix("attributes.") {
                customer.attributes[String(path.dropFirst("attributes.".count))] = value
            }
        }
    }

    /// What a sealed blob is bound to: moved to another customer's row, it does not open.
    static func context(_ customerID: Int64) -> String { "crmd-customer-sealed:\(customerID)" }

    /// The filter paths sealed under `keys`: refused by filters rather than matching nothing.
    static func filterPaths(_ keys: StorageKeys?) -> Set<String> {
        guard let keys else { return [] }
        return Set(["address.street"] + keys.sensitiveAttributes.map { "attributes.\($0)" })
    }

    /// `sealed` (a text made by ``split(_:keys:)``) sealed under the customer's data key.
    static func seal(
        _ sealed: String?,
        customerID: Int64,
        changes: ChangeLogWriter,
        isNew: Bool = false
    ) throws
        -> Data?
    {
        try sealed.map {
            try changes.key(forCustomer: customerID, isNew: isNew).seal(text: $0, context: context(customerID))
        }
    }

    /// Opens the row's sealed blob (column `index`) into `customer`; a row without one is left as it is.
    static func open(
        _ row: Row,
        at index: Int,
        into customer: inout Customer,
        _ db: Database,
        keys: StorageKeys?
    )
        throws
    {
        let value: DatabaseValue = row[index]
        guard case .blob(let blob) = value.storage else { return }
        guard let key = try ChangeLogWriter.storedKey(db, customerID: customer.id, keys: keys) else {
            throw CRMError(.dataLoss, "the sealed fields of \(customer.resourceName) are under a key that is gone")
        }
        let text: String
        do {
            text = try key.open(text: blob, context: context(customer.id))
        } catch {
            throw CRMError(
                .dataLoss,
                "the sealed fields of \(customer.resourceName) do not open",
                cause: String(describing: error)
            )
        }
        try merge(text, into: &customer)
    }
}

extension SQLiteRegistry {
    public func sealClearValues(
        progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws
        -> SealedCounts
    {
        guard let storageKeys else {
            throw CRMError(
                .failedPrecondition,
                "crmd has no storage key (storage.key_file; docs/security.md): nothing to seal under"
            )
        }
        var counts = SealedCounts()
        while true {
            let batch = try await write { db in try Self.sealClearCustomers(db, keys: storageKeys, limit: 500) }
            if batch == 0 { break }
            counts.customers += Int64(batch)
            progress(counts.customers + counts.interactions)
        }
        while true {
            let batch = try await write { db in try Self.sealClearBodies(db, keys: storageKeys, limit: 500) }
            if batch == 0 { break }
            counts.interactions += Int64(batch)
            progress(counts.customers + counts.interactions)
        }
        return counts
    }

    /// Seals up to `limit` customers whose street or sensitive attributes are in clear; returns how many.
    static func sealClearCustomers(_ db: Database, keys: StorageKeys, limit: Int) throws -> Int {
        var clear = ["c.street <> ''"]
        var arguments: [DatabaseValue] = []
        for name in keys.sensitiveAttributes.sorted() {
            clear.append("json_type(c.attributes, ?) IS NOT NULL")
            arguments.append(FilterComparison.jsonPath(name))
        }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(customerColumns) FROM customers c WHERE \(clear.joined(separator: " OR ")) LIMIT ?",
            arguments: StatementArguments(arguments + [limit.databaseValue])
        )
        let changes = ChangeLogWriter(db: db, actor: .daemon("seal"), now: now(), storageKeys: keys)
        let update = try db.cachedStatement(
            sql: "UPDATE customers SET street = ?, attributes = ?, sealed = ? WHERE id = ?"
        )
        for row in rows {
            let customer = try decodeCustomer(row, db: db, keys: keys)
            let (cleared, sealed) = SealedCustomerFields.split(customer, keys: keys)
            let blob = try SealedCustomerFields.seal(sealed, customerID: customer.id, changes: changes)
            try update.execute(
                arguments: [cleared.address.street, JSONText.object(cleared.attributes), blob, customer.id]
            )
        }
        return rows.count
    }

    /// Seals up to `limit` interaction bodies kept in clear; returns how many.
    static func sealClearBodies(_ db: Database, keys: StorageKeys, limit: Int) throws -> Int {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM interactions WHERE typeof(body) = 'text' AND body <> '' LIMIT ?",
            arguments: [limit]
        )
        let changes = ChangeLogWriter(db: db, actor: .daemon("seal"), now: now(), storageKeys: keys)
        let update = try db.cachedStatement(sql: "UPDATE interactions SET body = ? WHERE id = ?")
        for id in ids {
            let interaction = try requireInteraction(db, id: id, keys: keys)
            let blob = try changes.key(forCustomer: interaction.customerID)
                .seal(text: interaction.body, context: bodyContext(interaction.customerID))
            try update.execute(arguments: [blob, id])
        }
        return ids.count
    }
}
