public import CRMCore
public import Foundation
import GRDB

extension SQLiteRegistry {
    /// Every figure from one read transaction, so that they agree with each other.
    public func qualityReport(staleBefore: Date, examples: Int) async throws -> QualityReport {
        let sealed = storageKeys != nil
        return try await read { db in
            var report = QualityReport()
            let live = "FROM customers c WHERE c.delete_time IS NULL"
            report.customers = try Int64.fetchOne(db, sql: "SELECT count(*) \(live)") ?? 0

            // With a storage key a street is sealed: any sealed blob may hold one, so it is not counted.
            var fields: [(String, String)] = [
                ("email", "c.email <> ''"), ("phone", "c.phone <> ''"), ("company", "c.company <> ''"),
                ("address.city", "c.city <> ''"), ("address.postal_code", "c.postal_code <> ''"),
                ("address.country", "c.country <> ''"), ("lifecycle_stage", "c.lifecycle_stage <> 0"),
                ("customer_since", "c.customer_since IS NOT NULL"), ("external_id", "c.external_id IS NOT NULL"),
                ("tags", "c.tags <> '[]'"),
            ]
            if !sealed { fields.insert(("address.street", "c.street <> ''"), at: 3) }
            let counts = try Row.fetchOne(
                db,
                sql: "SELECT \(fields.map { "count(*) FILTER (WHERE \($0.1))" }.joined(separator: ", ")) \(live)"
            )
            report.completeness = fields.enumerated().map { index, field in
                QualityReport.FieldCount(field: field.0, filled: counts?[index] ?? 0)
            }

            func finding(
                _ check: String,
                _ description: String,
                count: String,
                examples sql: String,
                _ arguments: StatementArguments = []
            ) throws {
                let total = try Int64.fetchOne(db, sql: count, arguments: arguments) ?? 0
                let rows = total == 0 ? [] : try Row.fetchAll(db, sql: sql + " LIMIT \(examples)", arguments: arguments)
                report.findings.append(
                    QualityReport.Finding(
                        check: check,
                        description: description,
                        count: total,
                        examples: rows.map { QualityReport.Example(name: $0[0], displayName: $0[1], detail: $0[2]) }
                    )
                )
            }

            let domains = QualityReport.disposableDomains.sorted()
            let disposable =
                "lower(substr(c.email, instr(c.email, '@') + 1)) IN (\(domains.map { _ in "?" }.joined(separator: ", ")))"
            try finding(
                "disposable_email",
                "emails on throwaway domains (mailinator.com and the like): they reach no one for long",
                count: "SELECT count(*) \(live) AND c.email <> '' AND \(disposable)",
                examples:
                    "SELECT 'customers/' || c.id, c.display_name, c.email \(live) AND c.email <> '' AND \(disposable) ORDER BY c.id",
                StatementArguments(domains)
            )
            try finding(
                "undialable_phone",
                "phones not in international form (no country to read them in): they cannot be dialled from abroad or matched",
                count: "SELECT count(*) \(live) AND c.phone <> '' AND c.phone NOT LIKE '+%'",
                examples:
                    "SELECT 'customers/' || c.id, c.display_name, c.phone \(live) AND c.phone <> '' AND c.phone NOT LIKE '+%' ORDER BY c.id"
            )
            let buyers = "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)"
            try finding(
                "orders_without_contact",
                "customers with orders but neither email nor phone",
                count: "SELECT count(*) \(live) AND c.email = '' AND c.phone = '' AND \(buyers)",
                examples: """
                    SELECT 'customers/' || c.id, c.display_name,
                      (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) || ' orders'
                    \(live) AND c.email = '' AND c.phone = '' AND \(buyers) ORDER BY c.id
                    """
            )
            try finding(
                "duplicate_groups",
                "groups of customers that are probably one person, from the newest search (crmctl customer duplicates)",
                count: "SELECT count(*) FROM duplicate_groups",
                examples: """
                    SELECT 'customers/' || (SELECT value FROM json_each(g.members) LIMIT 1),
                      (SELECT display_name FROM customers WHERE id = (SELECT value FROM json_each(g.members) LIMIT 1)),
                      json_array_length(g.members) || ' members, score ' || printf('%.2f', g.score)
                    FROM duplicate_groups g ORDER BY g.score DESC, g.id
                    """
            )
            let since = staleBefore.microsecondsSince1970
            let activity = """
                max(c.update_time,
                  COALESCE((SELECT max(o.order_time) FROM orders o WHERE o.customer_id = c.id), 0),
                  COALESCE((SELECT max(p.paid_time) FROM payments p WHERE p.customer_id = c.id), 0),
                  COALESCE((SELECT max(i.occur_time) FROM interactions i WHERE i.customer_id = c.id), 0))
                """
            try finding(
                "stale_customers",
                "live customers with no order, payment, interaction or update since \(ChangeImage.timeText(staleBefore).prefix(10))",
                count: "SELECT count(*) \(live) AND \(activity) < ?",
                examples: """
                    SELECT 'customers/' || c.id, c.display_name,
                      'last activity ' || strftime('%Y-%m-%d', \(activity) / 1000000, 'unixepoch')
                    \(live) AND \(activity) < ? ORDER BY \(activity), c.id
                    """,
                [since]
            )
            // A category almost no line uses is more often a typo than a product line.
            let rare = """
                SELECT category FROM order_lines GROUP BY category
                HAVING count(*) <= max(2, (SELECT count(*) FROM order_lines) / 1000)
                  AND (SELECT count(DISTINCT category) FROM order_lines) > 1
                """
            try finding(
                "rare_category",
                "order lines whose category almost no other line uses (at most 2, or 0.1 % of lines): likely misspelt",
                count: "SELECT count(*) FROM order_lines WHERE category IN (\(rare))",
                examples: """
                    SELECT 'orders/' || l.order_id, c.display_name, 'category ' || quote(l.category) || ' (' || l.product_name || ')'
                    FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN customers c ON c.id = o.customer_id
                    WHERE l.category IN (\(rare)) ORDER BY l.order_id, l.line_no
                    """
            )
            try finding(
                "overpaid_orders",
                "orders whose payments add up to more than their total",
                count: "SELECT count(*) FROM orders WHERE paid_minor > total_minor",
                examples: """
                    SELECT 'orders/' || o.id, c.display_name,
                      'paid ' || o.paid_minor || ' of ' || o.total_minor || ' ' || o.currency_code || ' (minor units)'
                    FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.paid_minor > o.total_minor ORDER BY o.id
                    """
            )
            return report
        }
    }
}
