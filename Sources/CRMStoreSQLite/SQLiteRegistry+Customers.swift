public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    /// Every column of a customer, its sealed fields (``SealedCustomerFields``) last.
    static let customerColumns = clearCustomerColumns + ", c.sealed, c.merged_into"

    /// The columns of a customer but its sealed fields (since migration 0001).
    static let clearCustomerColumns = """
        c.id, c.display_name, c.email, c.phone, c.company, c.street, c.city, c.region, c.postal_code, \
        c.country, c.tags, c.attributes, c.external_id, c.lifecycle_stage, c.customer_since, \
        c.create_time, c.update_time, c.delete_time, c.version
        """

    /// Where each filterable field of ``FilterSchema/customers`` is kept.
    static let customerFilter = SQLColumns(
        .customers,
        [
            "name": "c.id",
            "id": "c.id",
            "display_name": "c.display_name",
            "email": "c.email",
            "phone": "c.phone",
            "company": "c.company",
            "address.street": "c.street",
            "address.city": "c.city",
            "address.region": "c.region",
            "address.postal_code": "c.postal_code",
            "address.country": "c.country",
            "tags": "c.tags",
            "attributes": "c.attributes",
            "external_id": "COALESCE(c.external_id, '')",
            "lifecycle_stage": "c.lifecycle_stage",
            "customer_since": "c.customer_since",
            "create_time": "c.create_time",
            "update_time": "c.update_time",
            "delete_time": "c.delete_time",
            "order_count": "(SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND \(purchase))",
            "last_order_time": "(SELECT max(o.order_time) FROM orders o WHERE o.customer_id = c.id AND \(purchase))",
            "total_spend_minor":
                "(SELECT COALESCE(sum(o.total_minor), 0) FROM orders o WHERE o.customer_id = c.id AND \(purchase))",
        ],
        sorting: [
            "customer_since": "COALESCE(c.customer_since, -9223372036854775808)",
            "last_order_time":
                "COALESCE((SELECT max(o.order_time) FROM orders o WHERE o.customer_id = c.id AND \(purchase)), "
                + "-9223372036854775808)",
        ]
    )

    /// An order that counts as a purchase (not cancelled or refunded), in SQL over `orders o`.
    private static let purchase =
        "o.status NOT IN (\(OrderStatus.cancelled.rawValue), \(OrderStatus.refunded.rawValue))"

    /// The customer of a row of ``customerColumns``, its sealed fields opened with the customer's data
    /// key (``SealedCustomerFields``).
    static func decodeCustomer(_ row: Row, db: Database, keys: StorageKeys?) throws -> Customer {
        var customer = try decodeClearCustomer(row)
        try SealedCustomerFields.open(row, at: 19, into: &customer, db, keys: keys)
        customer.mergedInto = row[20]
        return customer
    }

    /// The customer as its clear columns hold it (a row of ``clearCustomerColumns``).
    static func decodeClearCustomer(_ row: Row) throws -> Customer {
        Customer(
            id: row[0],
            displayName: row[1],
            email: row[2],
            phone: row[3],
            company: row[4],
            address: PostalAddress(street: row[5], city: row[6], region: row[7], postalCode: row[8], country: row[9]),
            tags: try JSONText.parseArray(row[10]),
            attributes: try JSONText.parseObject(row[11]),
            externalID: row[12] ?? "",
            lifecycleStage: LifecycleStage(rawValue: row[13]) ?? .unspecified,
            customerSince: (row[14] as Int64?).map(Date.init(microsecondsSince1970:)),
            createTime: Date(microsecondsSince1970: row[15]),
            updateTime: Date(microsecondsSince1970: row[16]),
            deleteTime: (row[17] as Int64?).map(Date.init(microsecondsSince1970:)),
            version: row[18]
        )
    }

    static func fetchCustomer(_ db: Database, id: Int64, keys: StorageKeys?) throws -> Customer? {
        let statement = try db.cachedStatement(sql: "SELECT \(customerColumns) FROM customers c WHERE c.id = ?")
        return try Row.fetchOne(statement, arguments: [id]).map { try decodeCustomer($0, db: db, keys: keys) }
    }

    static func fetchCustomer(_ db: Database, externalID: String, keys: StorageKeys?) throws -> Customer? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(customerColumns) FROM customers c WHERE c.external_id = ?"
        )
        return try Row.fetchOne(statement, arguments: [externalID]).map { try decodeCustomer($0, db: db, keys: keys) }
    }

    /// The customer without its sealed fields: what checking a reference to it needs, at no key's cost.
    static func fetchClearCustomer(_ db: Database, id: Int64, externalID: String = "") throws -> Customer? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(clearCustomerColumns) FROM customers c WHERE \(id > 0 ? "c.id" : "c.external_id") = ?"
        )
        return try Row.fetchOne(statement, arguments: [id > 0 ? id : externalID]).map(decodeClearCustomer)
    }

    static func requireCustomer(_ db: Database, id: Int64, keys: StorageKeys?) throws -> Customer {
        guard let customer = try fetchCustomer(db, id: id, keys: keys) else {
            throw CRMError.notFound(ResourceName.customer(id))
        }
        return customer
    }

    /// The values of the writable columns, in the order of `customerWritableColumns`.
    static func writableValues(_ customer: Customer) -> [(any DatabaseValueConvertible)?] {
        let tags = JSONText.array(customer.tags)
        let attributes = JSONText.object(customer.attributes)
        return [
            customer.displayName, customer.email, customer.phone, customer.company,
            customer.address.street, customer.address.city, customer.address.region,
            customer.address.postalCode, customer.address.country, tags, attributes,
            customer.externalID.isEmpty ? nil : customer.externalID,
            customer.lifecycleStage.rawValue, customer.customerSince?.microsecondsSince1970,
            PhoneNumber.searchForms(of: customer.phone),
        ]
    }

    /// The columns written from a customer; `phone_search` is derived from `phone` for the search index.
    static let customerWritableColumns = [
        "display_name", "email", "phone", "company", "street", "city", "region", "postal_code", "country",
        "tags", "attributes", "external_id", "lifecycle_stage", "customer_since", "phone_search",
    ]

    /// Another live customer with this email. `email <> ''` lets SQLite use the
    /// partial unique index customers_email_live; without it every check
    /// scans the table and a large import turns quadratic.
    static let emailOwnerSQL =
        "SELECT id FROM customers WHERE email = ? AND email <> '' AND delete_time IS NULL AND id <> ?"

    /// Refuses `customer` if its email or external id belongs to another customer.
    static func checkUniqueKeys(_ db: Database, _ customer: Customer, field prefix: String) throws {
        if !customer.email.isEmpty {
            let statement = try db.cachedStatement(sql: emailOwnerSQL)
            if let other = try Int64.fetchOne(statement, arguments: [customer.email, customer.id]) {
                throw CRMError(
                    .alreadyExists,
                    "email \(customer.email) already belongs to \(ResourceName.customer(other))",
                    violations: [
                        .init(
                            field: "\(prefix).email",
                            description: "already belongs to \(ResourceName.customer(other))"
                        )
                    ]
                )
            }
        }
        if !customer.externalID.isEmpty {
            let statement = try db.cachedStatement(sql: "SELECT id FROM customers WHERE external_id = ? AND id <> ?")
            if let other = try Int64.fetchOne(statement, arguments: [customer.externalID, customer.id]) {
                throw CRMError(
                    .alreadyExists,
                    "external_id \(customer.externalID) already belongs to \(ResourceName.customer(other))",
                    violations: [
                        .init(
                            field: "\(prefix).external_id",
                            description: "already belongs to \(ResourceName.customer(other))"
                        )
                    ]
                )
            }
        }
    }

    /// - Parameter changes: the transaction's change-log writer; with a storage key, the street and the
    ///   sensitive attributes are stored sealed under the customer's data key.
    static func insertCustomer(
        _ db: Database,
        _ customer: Customer,
        now: Date,
        field prefix: String,
        changes: ChangeLogWriter
    ) throws -> Customer {
        try checkUniqueKeys(db, customer, field: prefix)
        var stored = customer
        stored.customerSince = customer.customerSince?.inMicroseconds
        stored.createTime = now
        stored.updateTime = now
        stored.deleteTime = nil
        stored.version = 1
        let columns = customerWritableColumns + ["create_time", "update_time", "version"]
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO customers (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
        )
        let (clear, sealed) = SealedCustomerFields.split(stored, keys: changes.storageKeys)
        let values = writableValues(clear) + [now.microsecondsSince1970, now.microsecondsSince1970, Int64(1)]
        try statement.execute(arguments: StatementArguments(values))
        stored.id = db.lastInsertedRowID
        // The id the blob is bound to is known only now.
        if let blob = try SealedCustomerFields.seal(sealed, customerID: stored.id, changes: changes, isNew: true) {
            try db.cachedStatement(sql: "UPDATE customers SET sealed = ? WHERE id = ?")
                .execute(arguments: [blob, stored.id])
        }
        return stored
    }

    /// Writes the client-writable fields of `customer` over the stored row with the same id.
    static func overwriteCustomer(
        _ db: Database,
        _ customer: Customer,
        now: Date,
        field prefix: String,
        changes: ChangeLogWriter
    ) throws -> Customer {
        try checkUniqueKeys(db, customer, field: prefix)
        var stored = customer
        stored.customerSince = customer.customerSince?.inMicroseconds
        stored.updateTime = now
        stored.version += 1
        let assignments = (customerWritableColumns + ["sealed", "update_time", "version"]).map { "\($0) = ?" }
        let statement = try db.cachedStatement(
            sql: "UPDATE customers SET \(assignments.joined(separator: ", ")) WHERE id = ?"
        )
        let (clear, sealed) = SealedCustomerFields.split(stored, keys: changes.storageKeys)
        let blob = try SealedCustomerFields.seal(sealed, customerID: stored.id, changes: changes)
        let values = writableValues(clear) + [blob, now.microsecondsSince1970, stored.version, stored.id]
        try statement.execute(arguments: StatementArguments(values))
        return stored
    }

    public func createCustomers(_ customers: [Customer]) async throws -> [Customer] {
        try await writing { transaction in
            try customers.enumerated().map { index, customer in
                try transaction.createCustomer(
                    customer,
                    field: customers.count == 1 ? "customer" : "requests[\(index)].customer"
                )
            }
        }
    }

    public func customer(id: Int64) async throws -> Customer {
        let keys = storageKeys
        return try await read { db in try Self.requireCustomer(db, id: id, keys: keys) }
    }

    public func customer(externalID: String, showDeleted: Bool) async throws -> Customer {
        let keys = storageKeys
        let found = try await read { db in try Self.fetchCustomer(db, externalID: externalID, keys: keys) }
        guard let found, showDeleted || found.deleteTime == nil else {
            throw CRMError(.notFound, "no customer with external_id \"\(externalID)\"")
        }
        return found
    }

    public func customer(email: String) async throws -> Customer {
        let key = email.lowercased()
        let keys = storageKeys
        let found = try await read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Self.customerColumns) FROM customers c WHERE c.email = ? AND c.delete_time IS NULL"
            )
            return try Row.fetchOne(statement, arguments: [key]).map { try Self.decodeCustomer($0, db: db, keys: keys) }
        }
        guard let found else { throw CRMError(.notFound, "no customer with email \"\(key)\"") }
        return found
    }

    public func listCustomers(_ query: ListQuery) async throws -> Page<Customer> {
        let page = KeysetPage(
            columns: Self.customerColumns,
            from: "FROM customers c",
            idColumn: "c.id",
            schema: Self.customerFilter.sealing(SealedCustomerFields.filterPaths(storageKeys)),
            fixedConditions: query.showDeleted ? [] : ["c.delete_time IS NULL"]
        )
        let keys = storageKeys
        return try await read { db in
            try page.fetch(db, query) { row in try Self.decodeCustomer(row, db: db, keys: keys) }
        }
    }

    public func updateCustomer(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Customer) throws -> Void
    ) async throws -> Customer {
        try await writing { try $0.updateCustomer(id: id, expectedVersion: expectedVersion, change) }
    }

    public func deleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer {
        try await writing { try $0.deleteCustomer(id: id, expectedVersion: expectedVersion) }
    }

    public func undeleteCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer {
        try await writing { try $0.undeleteCustomer(id: id, expectedVersion: expectedVersion) }
    }

    static func checkVersion(_ stored: Int64, expected: Int64?, name: String) throws {
        if let expected, expected != stored {
            throw CRMError(
                .aborted,
                "\(name) was changed by someone else: its etag is now \(Etag.make(stored)), not \(Etag.make(expected)); read it again"
            )
        }
    }

    public func searchCustomers(_ query: SearchQuery) async throws -> Page<Customer> {
        // A number typed as people write it is one word, in the form the index holds (phone_search).
        let words =
            PhoneNumber.searchWord(query.text).map { [Substring($0)] }
            ?? Array(query.text.split { !$0.isLetter && !$0.isNumber }.prefix(16))
        guard !words.isEmpty else {
            throw CRMError.invalid("query", "must contain at least one letter or digit")
        }
        // Each word matches as a prefix; quoting keeps FTS5 syntax out of user text.
        let match = words.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"*" }.joined(separator: " ")
        let fingerprint = PageToken.fingerprint("search", match, query.showDeleted ? "deleted" : "")
        let offset = try query.pageToken.isEmpty ? 0 : PageToken.decode(query.pageToken, query: fingerprint).offset
        let keys = storageKeys
        return try await read { db in
            // Rank the full-text hits first and join only as many as a page
            // needs: ranking and joining every hit cost most of a search.
            // Deleted customers are few and indexed; fetching that many extra
            // hits guarantees a full page of live ones.
            let deleted = query.showDeleted ? 0 : try Int.fetchOne(db, sql: Self.deletedCountSQL) ?? 0
            let hits = offset + query.pageSize + 1 + deleted
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.customerColumns) FROM (
                        SELECT rowid AS id, rank FROM customers_fts WHERE customers_fts MATCH ? ORDER BY rank LIMIT ?
                    ) h JOIN customers c ON c.id = h.id \(query.showDeleted ? "" : "WHERE c.delete_time IS NULL")
                    ORDER BY h.rank, c.id
                    """,
                arguments: [match, hits]
            ).dropFirst(offset)
            var total =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?",
                    arguments: [match]
                ) ?? 0
            if deleted > 0 {
                total -=
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM customers c WHERE c.delete_time IS NOT NULL
                            AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)
                            """,
                        arguments: [match]
                    ) ?? 0
            }
            let next =
                rows.count > query.pageSize
                ? PageToken(offset: offset + query.pageSize, query: fingerprint).encoded() : ""
            return Page(
                items: try rows.prefix(query.pageSize).map { try Self.decodeCustomer($0, db: db, keys: keys) },
                nextPageToken: next,
                totalSize: total
            )
        }
    }

    static let deletedCountSQL = "SELECT count(*) FROM customers WHERE delete_time IS NOT NULL"

    public func importCustomers(_ rows: [ImportRow<Customer>], options: ImportOptions) async throws -> ImportOutcome {
        try await importBatch(rows, options: options) { transaction, customer in
            let db = transaction.db
            let keys = transaction.changes.storageKeys
            let found: Customer?
            if !customer.externalID.isEmpty {
                found = try Self.fetchCustomer(db, externalID: customer.externalID, keys: keys)
            } else if customer.id != 0 {
                found = try Self.fetchCustomer(db, id: customer.id, keys: keys)
                if let found, !found.externalID.isEmpty {
                    throw CRMError.invalid(
                        "customer.external_id",
                        "is empty, but \(found.resourceName) has external_id \"\(found.externalID)\": "
                            + "not taken as the same customer"
                    )
                }
            } else {
                found = try Self.matchCustomer(db, customer, by: options.match, keys: keys)
            }
            guard let stored = found else {
                var created = customer
                created.id = 0
                _ = try transaction.createCustomer(created, field: "customer")
                return .created
            }
            guard stored.deleteTime == nil else {
                throw CRMError(
                    .failedPrecondition,
                    customer.externalID.isEmpty
                        ? "\(stored.resourceName) is deleted; undelete it first"
                        : "\(stored.resourceName) with this external_id is deleted; undelete it first"
                )
            }
            var changed = customer
            changed.id = stored.id
            changed.version = stored.version
            if changed.hasSameContent(as: stored) { return .unchanged }
            let saved = try Self.overwriteCustomer(
                db,
                changed,
                now: transaction.now,
                field: "customer",
                changes: transaction.changes
            )
            try transaction.changes.append(.update, before: stored, after: saved)
            return .updated
        }
    }

    /// The live customer an imported row without an external id or id stands for, by `match`.
    static func matchCustomer(
        _ db: Database,
        _ row: Customer,
        by match: ImportMatch,
        keys: StorageKeys?
    ) throws
        -> Customer?
    {
        let column: String
        let value: String
        switch match {
        case .externalID: return nil
        case .email: (column, value) = ("email", row.email)
        case .phone: (column, value) = ("phone", row.phone)
        }
        guard !value.isEmpty else { return nil }
        let statement = try db.cachedStatement(
            sql: "SELECT \(customerColumns) FROM customers c WHERE c.\(column) = ? AND c.delete_time IS NULL LIMIT 2"
        )
        let rows = try Row.fetchAll(statement, arguments: [value])
        if rows.count > 1 {
            let names = rows.map { ResourceName.customer($0[0]) }.joined(separator: " and ")
            throw CRMError.invalid("customer.\(column)", "matches \(names): not taken as one customer")
        }
        return try rows.first.map { try decodeCustomer($0, db: db, keys: keys) }
    }

    public func exportCustomers(
        filter: String,
        showDeleted: Bool,
        chunkSize: Int,
        _ body: @Sendable ([Customer]) async throws -> Void
    ) async throws {
        var query = ListQuery(pageSize: chunkSize, filter: filter, showDeleted: showDeleted)
        repeat {
            let page = try await listCustomers(query)
            if !page.items.isEmpty { try await body(page.items) }
            query.pageToken = page.nextPageToken
        } while !query.pageToken.isEmpty
    }
}
