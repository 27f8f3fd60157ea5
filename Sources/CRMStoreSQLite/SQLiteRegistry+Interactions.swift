public import CRMCore
import Foundation
import GRDB

extension SQLiteRegistry {
    static let interactionColumns = """
        i.id, i.customer_id, COALESCE(ic.external_id, ''), COALESCE(i.external_id, ''), i.kind, i.direction, \
        i.occur_time, i.subject, i.body, i.outcome, i.topic, i.duration_seconds, i.create_time, i.update_time, \
        i.version
        """
    static let interactionFrom = "FROM interactions i JOIN customers ic ON ic.id = i.customer_id"

    /// Where each filterable field of ``FilterSchema/interactions`` is kept.
    static let interactionFilter = SQLColumns(
        .interactions,
        [
            "name": "i.id",
            "customer": "i.customer_id",
            "customer_external_id": "COALESCE(ic.external_id, '')",
            "external_id": "COALESCE(i.external_id, '')",
            "kind": "i.kind",
            "direction": "i.direction",
            "occur_time": "i.occur_time",
            "subject": "i.subject",
            "outcome": "i.outcome",
            "topic": "i.topic",
            "duration_seconds": "i.duration_seconds",
            "create_time": "i.create_time",
            "update_time": "i.update_time",
        ]
    )

    static func decodeInteraction(_ row: Row) -> Interaction {
        Interaction(
            id: row[0],
            customerID: row[1],
            customerExternalID: row[2],
            externalID: row[3],
            kind: InteractionKind(rawValue: row[4]) ?? .unspecified,
            direction: Direction(rawValue: row[5]) ?? .unspecified,
            occurTime: Date(microsecondsSince1970: row[6]),
            subject: row[7],
            // A sealed body (a blob) is opened by the caller that has the keys.
            body: Self.sealedBody(row) == nil ? row[8] : "",
            outcome: row[9],
            topic: row[10],
            durationSeconds: row[11],
            createTime: Date(microsecondsSince1970: row[12]),
            updateTime: Date(microsecondsSince1970: row[13]),
            version: row[14]
        )
    }

    static func fetchInteraction(
        _ db: Database,
        where condition: String,
        _ argument: any DatabaseValueConvertible,
        keys: StorageKeys?
    ) throws -> Interaction? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(interactionColumns) \(interactionFrom) WHERE \(condition)"
        )
        return try Row.fetchOne(statement, arguments: [argument]).map { try decodeInteraction($0, db: db, keys: keys) }
    }

    /// The interaction of a row, its body opened when the row holds it sealed (docs/security.md).
    static func decodeInteraction(_ row: Row, db: Database, keys: StorageKeys?) throws -> Interaction {
        var interaction = decodeInteraction(row)
        if let sealed = Self.sealedBody(row) {
            guard let key = try ChangeLogWriter.storedKey(db, customerID: interaction.customerID, keys: keys) else {
                throw CRMError(.dataLoss, "the body of \(interaction.resourceName) is sealed under a key that is gone")
            }
            do {
                interaction.body = try key.open(text: sealed, context: Self.bodyContext(interaction.customerID))
            } catch {
                throw CRMError(
                    .dataLoss,
                    "the body of \(interaction.resourceName) does not open",
                    cause: String(describing: error)
                )
            }
        }
        return interaction
    }

    /// The body column when it holds a sealed body (a blob), not text.
    static func sealedBody(_ row: Row) -> Data? {
        let value: DatabaseValue = row[8]
        if case .blob(let data) = value.storage { return data }
        return nil
    }

    /// What a sealed body is bound to: a body moved to another row or customer does not open.
    static func bodyContext(_ customerID: Int64) -> String { "crmd-interaction-body:\(customerID)" }

    /// - Parameter changes: the transaction's change-log writer; with a storage key, the body is stored
    ///   sealed under the customer's data key.
    static func saveInteraction(
        _ db: Database,
        _ interaction: Interaction,
        now: Date,
        field prefix: String,
        changes: ChangeLogWriter
    ) throws -> Interaction {
        var stored = interaction
        stored.occurTime = interaction.occurTime.inMicroseconds
        let customer = try resolveCustomer(
            db,
            id: interaction.customerID,
            externalID: interaction.customerExternalID,
            field: "\(prefix).customer"
        )
        stored.customerID = customer.id
        stored.customerExternalID = customer.externalID
        try checkUniqueExternalID(
            db,
            table: "interactions",
            externalID: interaction.externalID,
            id: interaction.id,
            field: "\(prefix).external_id",
            collection: "interactions"
        )
        let externalID: String? = interaction.externalID.isEmpty ? nil : interaction.externalID
        let body: any DatabaseValueConvertible =
            changes.storageKeys != nil && !stored.body.isEmpty
            ? try changes.key(forCustomer: stored.customerID).seal(
                text: stored.body,
                context: Self.bodyContext(stored.customerID)
            )
            : stored.body
        let values: [(any DatabaseValueConvertible)?] = [
            stored.customerID, externalID, stored.kind.rawValue, stored.direction.rawValue,
            stored.occurTime.microsecondsSince1970, stored.subject, body, stored.outcome, stored.topic,
            stored.durationSeconds,
        ]
        stored.updateTime = now
        if interaction.id == 0 {
            stored.createTime = now
            stored.version = 1
            try db.cachedStatement(
                sql: """
                    INSERT INTO interactions (customer_id, external_id, kind, direction, occur_time, subject, body, outcome,
                    topic, duration_seconds, create_time, update_time, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                    """
            ).execute(arguments: StatementArguments(values + [now.microsecondsSince1970, now.microsecondsSince1970]))
            stored.id = db.lastInsertedRowID
        } else {
            // `interaction.version` is the stored version this write replaces.
            stored.version = interaction.version + 1
            try db.cachedStatement(
                sql: """
                    UPDATE interactions SET customer_id = ?, external_id = ?, kind = ?, direction = ?, occur_time = ?,
                    subject = ?, body = ?, outcome = ?, topic = ?, duration_seconds = ?, update_time = ?, version = ?
                    WHERE id = ?
                    """
            ).execute(
                arguments: StatementArguments(values + [now.microsecondsSince1970, stored.version, stored.id])
            )
        }
        return stored
    }

    public func createInteraction(_ interaction: Interaction) async throws -> Interaction {
        try await writing { try $0.createInteraction(interaction, field: "interaction") }
    }

    public func interaction(id: Int64) async throws -> Interaction {
        let keys = storageKeys
        return try await read { db in try Self.requireInteraction(db, id: id, keys: keys) }
    }

    public func updateInteraction(
        id: Int64,
        expectedVersion: Int64?,
        _ change: @escaping @Sendable (inout Interaction) throws -> Void
    ) async throws -> Interaction {
        try await writing { try $0.updateInteraction(id: id, expectedVersion: expectedVersion, change) }
    }

    public func deleteInteraction(id: Int64, expectedVersion: Int64?) async throws -> Interaction {
        try await writing { try $0.deleteInteraction(id: id, expectedVersion: expectedVersion) }
    }

    static func requireInteraction(_ db: Database, id: Int64, keys: StorageKeys?) throws -> Interaction {
        guard let interaction = try fetchInteraction(db, where: "i.id = ?", id, keys: keys) else {
            throw CRMError.notFound(ResourceName.interaction(id))
        }
        return interaction
    }

    public func listInteractions(_ query: ListQuery) async throws -> Page<Interaction> {
        let page = KeysetPage(
            columns: Self.interactionColumns,
            from: Self.interactionFrom,
            idColumn: "i.id",
            schema: Self.interactionFilter
        )
        let keys = storageKeys
        return try await read { db in
            try page.fetch(db, query) { row in try Self.decodeInteraction(row, db: db, keys: keys) }
        }
    }

    public func importInteractions(
        _ rows: [ImportRow<Interaction>],
        options: ImportOptions
    ) async throws -> ImportOutcome {
        try await importBatch(rows, options: options) { transaction, interaction in
            let db = transaction.db
            let keys = transaction.changes.storageKeys
            guard
                let stored = try Self.fetchInteraction(
                    db,
                    where: "i.external_id = ?",
                    interaction.externalID,
                    keys: keys
                )
            else {
                _ = try transaction.createInteraction(interaction, field: "interaction")
                return .created
            }
            var changed = interaction
            changed.id = stored.id
            changed.version = stored.version
            if changed.customerID == 0 {
                changed.customerID = try Self.resolveCustomer(
                    db,
                    id: 0,
                    externalID: interaction.customerExternalID,
                    field: "interaction.customer"
                ).id
            }
            if changed.hasSameContent(as: stored) { return .unchanged }
            let saved = try Self.saveInteraction(
                db,
                changed,
                now: transaction.now,
                field: "interaction",
                changes: transaction.changes
            )
            try transaction.changes.append(.update, before: stored, after: saved)
            return .updated
        }
    }
}
