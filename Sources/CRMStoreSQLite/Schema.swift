import CRMCore
import GRDB

/// The numbered schema migrations. A migration is never edited once it has
/// shipped: a change is a new migration appended at the end.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-registry", migrate: createRegistry)
        migrator.registerMigration("0002-deleted-customers-index") { db in
            // Lets search and statistics count and skip the few deleted
            // customers without scanning the table.
            try db.execute(
                sql: "CREATE INDEX customers_deleted ON customers(delete_time) WHERE delete_time IS NOT NULL"
            )
        }
        migrator.registerMigration("0003-analysis-models", migrate: createAnalysis)
        migrator.registerMigration("0004-phone-search-forms", migrate: indexPhoneSearchForms)
        migrator.registerMigration("0005-payment-interaction-versions") { db in
            // Payments and interactions can be corrected: each carries a version (its etag) and an update time.
            for table in ["payments", "interactions"] {
                try db.execute(
                    sql: """
                        ALTER TABLE \(table) ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                        ALTER TABLE \(table) ADD COLUMN update_time INTEGER NOT NULL DEFAULT 0;
                        UPDATE \(table) SET update_time = create_time;
                        """
                )
            }
        }
        migrator.registerMigration("0006-change-log", migrate: createChangeLog)
        // A customer's street and sensitive attributes, sealed under its data key (docs/security.md).
        migrator.registerMigration("0007-sealed-customer-fields") { db in
            try db.execute(sql: "ALTER TABLE customers ADD COLUMN sealed BLOB")
        }
        // Merged customers point at their survivor; the groups of the newest duplicate search
        // (docs/duplicates.md), replaced by the next.
        migrator.registerMigration("0008-duplicates") { db in
            try db.execute(
                sql: """
                    ALTER TABLE customers ADD COLUMN merged_into INTEGER;
                    CREATE INDEX customers_phone_live ON customers(phone) WHERE phone <> '' AND delete_time IS NULL;
                    CREATE TABLE duplicate_groups (
                      id INTEGER PRIMARY KEY,
                      score REAL NOT NULL,
                      signals TEXT NOT NULL,
                      members TEXT NOT NULL
                    );
                    CREATE INDEX duplicate_groups_score ON duplicate_groups(score DESC, id);
                    CREATE TABLE duplicate_runs (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      find_time INTEGER NOT NULL,
                      threshold REAL NOT NULL,
                      compared INTEGER NOT NULL
                    );
                    """
            )
        }
        return migrator
    }

    /// Number of migrations the code knows.
    static let latestVersion = migrator.migrations.count

    /// The change log (docs/audit.md) and the keys that seal personal values in it. Every record that
    /// exists already gets a `baseline` entry, so that `audit verify` can hold it to its image.
    private static func createChangeLog(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE change_log (
                  revision INTEGER PRIMARY KEY,
                  time INTEGER NOT NULL,
                  uid INTEGER NOT NULL,
                  gid INTEGER NOT NULL,
                  pid INTEGER NOT NULL,
                  executable TEXT NOT NULL,
                  method TEXT NOT NULL,
                  resource TEXT NOT NULL,
                  customer_id INTEGER NOT NULL,
                  kind TEXT NOT NULL,
                  before TEXT,
                  after TEXT,
                  sealed BLOB,
                  key_id INTEGER NOT NULL,
                  hash BLOB NOT NULL
                );
                CREATE INDEX change_log_resource ON change_log(resource, revision);
                CREATE INDEX change_log_customer ON change_log(customer_id, revision) WHERE customer_id <> 0;
                CREATE TRIGGER change_log_append_only_update BEFORE UPDATE ON change_log BEGIN
                    SELECT RAISE(ABORT, 'the change log is append-only');
                END;
                CREATE TRIGGER change_log_append_only_delete BEFORE DELETE ON change_log BEGIN
                    SELECT RAISE(ABORT, 'the change log is append-only');
                END;
                CREATE TABLE personal_data_keys (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  customer_id INTEGER NOT NULL UNIQUE,
                  key BLOB NOT NULL,
                  -- The storage key that wraps it (StorageKey.id); '' when stored raw.
                  wrap_id TEXT NOT NULL DEFAULT ''
                );
                """
        )
        // Keys made here are raw; the store wraps them when it opens with a storage key.
        let log = ChangeLogWriter(
            db: db,
            actor: .daemon("migration 0006-change-log"),
            now: SQLiteRegistry.now(),
            storageKeys: nil
        )
        for (table, read) in [
            // Nothing is sealed yet when this migration runs (nor is there a column for it).
            (
                "customers",
                { db, id in
                    guard let customer = try SQLiteRegistry.fetchClearCustomer(db, id: id) else {
                        throw CRMError.notFound(ResourceName.customer(id))
                    }
                    return customer as any ChangeImaging
                }
            ),
            ("orders", { try SQLiteRegistry.requireOrder($0, id: $1) as any ChangeImaging }),
            ("payments", { try SQLiteRegistry.requirePayment($0, id: $1) as any ChangeImaging }),
            // No body is sealed yet when this migration runs.
            ("interactions", { try SQLiteRegistry.requireInteraction($0, id: $1, keys: nil) as any ChangeImaging }),
        ] as [(String, (Database, Int64) throws -> any ChangeImaging)] {
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM \(table) ORDER BY id") {
                try log.append(.baseline, before: nil, after: try read(db, id))
            }
        }
    }

    /// Search finds a number as people type it (`040 2007233` as well as `+49402007233`): the full-text
    /// index reads the column `phone_search` (``PhoneNumber/searchForms(of:)``) instead of `phone`.
    private static func indexPhoneSearchForms(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE customers ADD COLUMN phone_search TEXT NOT NULL DEFAULT ''")
        let update = try db.makeStatement(sql: "UPDATE customers SET phone_search = ? WHERE id = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, phone FROM customers WHERE phone <> ''")
        while let row = try rows.next() {
            let phone: String = row[1]
            try update.execute(arguments: [PhoneNumber.searchForms(of: phone), row[0] as Int64])
        }
        try db.execute(
            sql: """
                DROP TRIGGER customers_fts_insert;
                DROP TRIGGER customers_fts_delete;
                DROP TRIGGER customers_fts_update;
                DROP TABLE customers_fts;
                CREATE VIRTUAL TABLE customers_fts USING fts5(
                    display_name, email, phone_search, company,
                    content='customers', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
                );
                CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
                    INSERT INTO customers_fts(rowid, display_name, email, phone_search, company)
                    VALUES (new.id, new.display_name, new.email, new.phone_search, new.company);
                END;
                CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
                    INSERT INTO customers_fts(customers_fts, rowid, display_name, email, phone_search, company)
                    VALUES ('delete', old.id, old.display_name, old.email, old.phone_search, old.company);
                END;
                CREATE TRIGGER customers_fts_update
                AFTER UPDATE OF display_name, email, phone_search, company ON customers BEGIN
                    INSERT INTO customers_fts(customers_fts, rowid, display_name, email, phone_search, company)
                    VALUES ('delete', old.id, old.display_name, old.email, old.phone_search, old.company);
                    INSERT INTO customers_fts(rowid, display_name, email, phone_search, company)
                    VALUES (new.id, new.display_name, new.email, new.phone_search, new.company);
                END;
                INSERT INTO customers_fts(customers_fts) VALUES ('rebuild');
                """
        )
    }

    /// Trained models (versioned per target) and the latest score of each customer per model.
    private static func createAnalysis(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE analysis_models (
                  id INTEGER PRIMARY KEY,
                  target TEXT NOT NULL,
                  version INTEGER NOT NULL,
                  algorithm TEXT NOT NULL,
                  plugin TEXT NOT NULL,
                  create_time INTEGER NOT NULL,
                  summary BLOB NOT NULL,
                  preprocessing BLOB NOT NULL,
                  model BLOB NOT NULL,
                  UNIQUE (target, version)
                );
                CREATE TABLE analysis_predictions (
                  model_id INTEGER NOT NULL REFERENCES analysis_models(id) ON DELETE CASCADE,
                  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
                  score_time INTEGER NOT NULL,
                  predicted_class TEXT NOT NULL,
                  confidence REAL NOT NULL,
                  detail TEXT NOT NULL,
                  PRIMARY KEY (model_id, customer_id)
                ) WITHOUT ROWID;
                """
        )
    }

    private static func createRegistry(_ db: Database) throws {
        // Times are integer microseconds since 1970 UTC. Text columns are
        // NOT NULL with '' for "unset", which keeps comparisons and keyset
        // pagination free of NULL cases; external ids are NULL when unset so
        // that the UNIQUE constraint ignores them.
        try db.execute(
            sql: """
                CREATE TABLE customers (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    display_name TEXT NOT NULL,
                    email TEXT NOT NULL DEFAULT '',
                    phone TEXT NOT NULL DEFAULT '',
                    company TEXT NOT NULL DEFAULT '',
                    street TEXT NOT NULL DEFAULT '',
                    city TEXT NOT NULL DEFAULT '',
                    region TEXT NOT NULL DEFAULT '',
                    postal_code TEXT NOT NULL DEFAULT '',
                    country TEXT NOT NULL DEFAULT '',
                    tags TEXT NOT NULL DEFAULT '[]',
                    attributes TEXT NOT NULL DEFAULT '{}',
                    external_id TEXT UNIQUE,
                    lifecycle_stage INTEGER NOT NULL DEFAULT 0,
                    customer_since INTEGER,
                    create_time INTEGER NOT NULL,
                    update_time INTEGER NOT NULL,
                    delete_time INTEGER,
                    version INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX customers_email_live ON customers(email)
                    WHERE email <> '' AND delete_time IS NULL;
                CREATE INDEX customers_display_name ON customers(display_name, id);
                CREATE INDEX customers_create_time ON customers(create_time, id);
                CREATE INDEX customers_update_time ON customers(update_time, id);

                CREATE VIRTUAL TABLE customers_fts USING fts5(
                    display_name, email, phone, company,
                    content='customers', content_rowid='id',
                    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
                );
                CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
                    INSERT INTO customers_fts(rowid, display_name, email, phone, company)
                    VALUES (new.id, new.display_name, new.email, new.phone, new.company);
                END;
                CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
                    INSERT INTO customers_fts(customers_fts, rowid, display_name, email, phone, company)
                    VALUES ('delete', old.id, old.display_name, old.email, old.phone, old.company);
                END;
                CREATE TRIGGER customers_fts_update AFTER UPDATE OF display_name, email, phone, company ON customers BEGIN
                    INSERT INTO customers_fts(customers_fts, rowid, display_name, email, phone, company)
                    VALUES ('delete', old.id, old.display_name, old.email, old.phone, old.company);
                    INSERT INTO customers_fts(rowid, display_name, email, phone, company)
                    VALUES (new.id, new.display_name, new.email, new.phone, new.company);
                END;

                CREATE TABLE orders (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customers(id),
                    external_id TEXT UNIQUE,
                    status INTEGER NOT NULL,
                    currency_code TEXT NOT NULL,
                    total_minor INTEGER NOT NULL,
                    paid_minor INTEGER NOT NULL DEFAULT 0,
                    order_time INTEGER NOT NULL,
                    create_time INTEGER NOT NULL,
                    update_time INTEGER NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE INDEX orders_customer_time ON orders(customer_id, order_time);
                CREATE INDEX orders_order_time ON orders(order_time, id);

                CREATE TABLE order_lines (
                    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                    line_no INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    product_name TEXT NOT NULL,
                    category TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    unit_price_minor INTEGER NOT NULL,
                    PRIMARY KEY (order_id, line_no)
                ) WITHOUT ROWID;
                CREATE INDEX order_lines_category ON order_lines(category);

                CREATE TABLE payments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    order_id INTEGER NOT NULL REFERENCES orders(id),
                    customer_id INTEGER NOT NULL REFERENCES customers(id),
                    external_id TEXT UNIQUE,
                    amount_minor INTEGER NOT NULL,
                    currency_code TEXT NOT NULL,
                    paid_time INTEGER NOT NULL,
                    method TEXT NOT NULL DEFAULT '',
                    create_time INTEGER NOT NULL
                );
                CREATE INDEX payments_order ON payments(order_id);
                CREATE INDEX payments_customer_time ON payments(customer_id, paid_time);

                CREATE TABLE interactions (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    customer_id INTEGER NOT NULL REFERENCES customers(id),
                    external_id TEXT UNIQUE,
                    kind INTEGER NOT NULL,
                    direction INTEGER NOT NULL,
                    occur_time INTEGER NOT NULL,
                    subject TEXT NOT NULL DEFAULT '',
                    body TEXT NOT NULL DEFAULT '',
                    outcome TEXT NOT NULL DEFAULT '',
                    topic TEXT NOT NULL DEFAULT '',
                    duration_seconds INTEGER NOT NULL DEFAULT 0,
                    create_time INTEGER NOT NULL
                );
                CREATE INDEX interactions_customer_time ON interactions(customer_id, occur_time);
                CREATE INDEX interactions_occur_time ON interactions(occur_time, id);
                """
        )
    }
}
