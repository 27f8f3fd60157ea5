import CRMProto
import SwiftProtobuf

extension Crm_V1_Customer: PrintableRecord {
    typealias Schema = CustomerCSV

    static let listHeaders = ["NAME", "EXTERNAL ID", "DISPLAY NAME", "EMAIL", "COMPANY", "COUNTRY", "STAGE", "TAGS"]

    var listRow: [String] {
        [
            hasDeleteTime ? name + " (deleted)" : name, externalID, displayName, email, company, address.country,
            lifecycleStage.label, tags.joined(separator: ";"),
        ]
    }

    static let wideHeaders = listHeaders + ["PHONE", "CITY", "SINCE", "UPDATED", "ETAG"]

    var wideRow: [String] {
        listRow + [
            phone, address.city, RFC3339.format(customerSince, isSet: hasCustomerSince),
            RFC3339.format(updateTime, isSet: hasUpdateTime), etag,
        ]
    }

    var detailFields: [(String, String)] {
        var fields: [(String, String)] = [
            ("name", name), ("display_name", displayName), ("email", email), ("phone", phone),
            ("company", company), ("street", address.street), ("city", address.city),
            ("region", address.region), ("postal_code", address.postalCode), ("country", address.country),
            ("tags", tags.joined(separator: ";")),
        ]
        for key in attributes.keys.sorted() {
            fields.append(("attr.\(key)", attributes[key] ?? ""))
        }
        fields += [
            ("external_id", externalID), ("lifecycle_stage", lifecycleStage.label),
            ("customer_since", RFC3339.format(customerSince, isSet: hasCustomerSince)),
            ("create_time", RFC3339.format(createTime, isSet: hasCreateTime)),
            ("update_time", RFC3339.format(updateTime, isSet: hasUpdateTime)),
        ]
        if hasDeleteTime {
            fields.append(("delete_time", RFC3339.format(deleteTime)))
        }
        fields.append(("etag", etag))
        return fields
    }
}

extension Crm_V1_Order: PrintableRecord {
    typealias Schema = OrderCSV

    static let listHeaders = ["NAME", "EXTERNAL ID", "CUSTOMER", "ORDER TIME", "STATUS", "ITEMS", "TOTAL", "PAID"]

    var listRow: [String] {
        [
            name, externalID, customer, RFC3339.format(orderTime, isSet: hasOrderTime), status.label,
            String(lineItems.count), Money.display(minor: totalMinor, currency: currencyCode),
            Money.display(minor: paidMinor, currency: currencyCode),
        ]
    }

    static let wideHeaders = [
        "NAME", "EXTERNAL ID", "CUSTOMER", "CUSTOMER EXTERNAL ID", "ORDER TIME", "STATUS", "ITEMS", "CATEGORIES",
        "TOTAL", "PAID", "UPDATED", "ETAG",
    ]

    var wideRow: [String] {
        [
            name, externalID, customer, customerExternalID, RFC3339.format(orderTime, isSet: hasOrderTime),
            status.label, String(lineItems.count),
            Array(Set(lineItems.map(\.category))).sorted().joined(separator: ";"),
            Money.display(minor: totalMinor, currency: currencyCode),
            Money.display(minor: paidMinor, currency: currencyCode), RFC3339.format(updateTime, isSet: hasUpdateTime),
            etag,
        ]
    }

    var detailFields: [(String, String)] {
        var fields: [(String, String)] = [
            ("name", name), ("customer", customer), ("customer_external_id", customerExternalID),
            ("external_id", externalID), ("status", status.label), ("currency", currencyCode),
            ("order_time", RFC3339.format(orderTime, isSet: hasOrderTime)),
            ("total", Money.display(minor: totalMinor, currency: currencyCode)),
            ("paid", Money.display(minor: paidMinor, currency: currencyCode)),
        ]
        for (index, item) in lineItems.enumerated() {
            let exponent = Currency.minorUnitDigits(currencyCode)
            let sku = item.sku.isEmpty ? "" : "[\(item.sku)] "
            fields.append(
                (
                    "line_items[\(index)]",
                    "\(item.quantity) × \(sku)\(item.productName) (\(item.category)) @ "
                        + "\(Money.majorText(fromMinor: item.unitPriceMinor, exponent: exponent)) = "
                        + Money.display(minor: item.totalMinor, currency: currencyCode)
                )
            )
        }
        fields += [
            ("create_time", RFC3339.format(createTime, isSet: hasCreateTime)),
            ("update_time", RFC3339.format(updateTime, isSet: hasUpdateTime)), ("etag", etag),
        ]
        return fields
    }
}

extension Crm_V1_Payment: PrintableRecord {
    typealias Schema = PaymentCSV

    static let listHeaders = ["NAME", "EXTERNAL ID", "ORDER", "CUSTOMER", "PAID TIME", "AMOUNT", "METHOD"]

    var listRow: [String] {
        [
            name, externalID, order, customer, RFC3339.format(paidTime, isSet: hasPaidTime),
            Money.display(minor: amountMinor, currency: currencyCode), method,
        ]
    }

    static let wideHeaders = [
        "NAME", "EXTERNAL ID", "ORDER", "ORDER EXTERNAL ID", "CUSTOMER", "PAID TIME", "AMOUNT", "METHOD", "CREATED",
    ]

    var wideRow: [String] {
        [
            name, externalID, order, orderExternalID, customer, RFC3339.format(paidTime, isSet: hasPaidTime),
            Money.display(minor: amountMinor, currency: currencyCode), method,
            RFC3339.format(createTime, isSet: hasCreateTime),
        ]
    }

    var detailFields: [(String, String)] {
        [
            ("name", name), ("order", order), ("order_external_id", orderExternalID), ("customer", customer),
            ("external_id", externalID), ("amount", Money.display(minor: amountMinor, currency: currencyCode)),
            ("paid_time", RFC3339.format(paidTime, isSet: hasPaidTime)), ("method", method),
            ("create_time", RFC3339.format(createTime, isSet: hasCreateTime)),
            ("update_time", RFC3339.format(updateTime, isSet: hasUpdateTime)), ("etag", etag),
        ]
    }
}

extension Crm_V1_Interaction: PrintableRecord {
    typealias Schema = InteractionCSV

    static let listHeaders = [
        "NAME", "EXTERNAL ID", "CUSTOMER", "OCCUR TIME", "KIND", "DIRECTION", "TOPIC", "OUTCOME", "SUBJECT",
    ]

    var listRow: [String] {
        [
            name, externalID, customer, RFC3339.format(occurTime, isSet: hasOccurTime), kind.label, direction.label,
            topic, outcome, subject,
        ]
    }

    static let wideHeaders = [
        "NAME", "EXTERNAL ID", "CUSTOMER", "CUSTOMER EXTERNAL ID", "OCCUR TIME", "KIND", "DIRECTION", "TOPIC",
        "OUTCOME", "SUBJECT", "DURATION", "CREATED",
    ]

    var wideRow: [String] {
        [
            name, externalID, customer, customerExternalID, RFC3339.format(occurTime, isSet: hasOccurTime), kind.label,
            direction.label, topic, outcome, subject, durationSeconds == 0 ? "" : "\(durationSeconds) s",
            RFC3339.format(createTime, isSet: hasCreateTime),
        ]
    }

    var detailFields: [(String, String)] {
        [
            ("name", name), ("customer", customer), ("customer_external_id", customerExternalID),
            ("external_id", externalID), ("kind", kind.label), ("direction", direction.label),
            ("occur_time", RFC3339.format(occurTime, isSet: hasOccurTime)), ("subject", subject),
            ("outcome", outcome), ("topic", topic), ("duration_seconds", String(durationSeconds)),
            ("body", body), ("create_time", RFC3339.format(createTime, isSet: hasCreateTime)),
            ("update_time", RFC3339.format(updateTime, isSet: hasUpdateTime)), ("etag", etag),
        ]
    }
}
