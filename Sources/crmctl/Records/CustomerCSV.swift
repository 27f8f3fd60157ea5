import CRMProto

/// Customers in CSV: one row per customer, attributes as `attr.<key>` columns. A row is keyed by its
/// `external_id`, else by the `name` an export wrote (a customer of the same registry), else it is new.
enum CustomerCSV: CSVSchema {
    typealias Record = Crm_V1_Customer

    static let noun = "customers"
    static let attributePrefix = "attr."
    static let requiredColumns = ["display_name"]
    static let columns = [
        "name", "external_id", "display_name", "email", "phone", "company", "street", "city", "region", "postal_code",
        "country", "tags", "lifecycle_stage", "customer_since",
    ]

    static func acceptsExtraColumn(_ name: String) -> String? {
        guard name.hasPrefix(attributePrefix) else { return "unknown column" }
        return name.count > attributePrefix.count ? nil : "attribute column without a key"
    }

    /// The fixed columns, then the union of the attribute keys as sorted `attr.` columns.
    static func header(for records: [Crm_V1_Customer]) -> [String] {
        var keys = Set<String>()
        for customer in records {
            keys.formUnion(customer.attributes.keys)
        }
        return columns + keys.sorted().map { attributePrefix + $0 }
    }

    static func rows(for customer: Crm_V1_Customer, header: [String]) -> [[String]] {
        let address = customer.address
        var row = [
            customer.name, customer.externalID, customer.displayName, customer.email, customer.phone, customer.company,
            address.street, address.city, address.region, address.postalCode, address.country,
            customer.tags.joined(separator: ";"), customer.lifecycleStage.label,
            RFC3339.format(customer.customerSince, isSet: customer.hasCustomerSince),
        ]
        for column in header.dropFirst(columns.count) {
            row.append(customer.attributes[String(column.dropFirst(attributePrefix.count))] ?? "")
        }
        return [row]
    }

    static func decodeRows(of table: CSVTable) -> DecodedFile<Crm_V1_Customer> {
        var file = DecodedFile<Crm_V1_Customer>()
        let attributeColumns = table.columns.filter { $0.hasPrefix(attributePrefix) }
        for record in table.records {
            file.rowCount += 1
            if let error = fieldCountError(record, in: table) {
                file.errors.append(error)
                continue
            }
            var row = RowReader(record: record, table: table)
            var customer = Crm_V1_Customer()
            customer.name = row.text("name")
            customer.externalID = row.text("external_id")
            customer.displayName = row.text("display_name")
            customer.email = row.text("email")
            customer.phone = row.text("phone")
            customer.company = row.text("company")
            var address = Crm_V1_PostalAddress()
            address.street = row.text("street")
            address.city = row.text("city")
            address.region = row.text("region")
            address.postalCode = row.text("postal_code")
            address.country = row.text("country")
            if address != Crm_V1_PostalAddress() {
                customer.address = address
            }
            customer.tags = Cell.tags(row.text("tags"))
            if let stage = row.value("lifecycle_stage", Crm_V1_LifecycleStage.parse(label:)) {
                customer.lifecycleStage = stage
            }
            if let since = row.value("customer_since", RFC3339.parseOptional), let since {
                customer.customerSince = since
            }
            for column in attributeColumns {
                let value = row.text(column)
                if !value.isEmpty {
                    customer.attributes[String(column.dropFirst(attributePrefix.count))] = value
                }
            }
            if row.errors.isEmpty {
                file.records.append(customer)
                file.lines.append([record.line])
            } else {
                file.errors += row.errors
            }
        }
        return file
    }
}
