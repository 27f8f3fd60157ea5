public import Foundation

extension Customer {
    /// The most tags a customer may carry, counted after duplicates are merged.
    public static let maxTags = 100
    /// The most free-form attributes a customer may carry.
    public static let maxAttributes = 100

    /// This customer with every client-writable field normalised, or an error naming every wrong field.
    ///
    /// The rules: `display_name` is required, at most 200 characters; `email` per ``EmailAddress``;
    /// `address.country` per ``CountryCode``, and `phone` per ``PhoneNumber`` in that country; `company` and
    /// `address.street` at most 200 characters, `address.city` and `address.region` 100, `address.postal_code` 20;
    /// `tags` per ``Tag``, at most ``maxTags``, sorted and without duplicates; `attributes` at most
    /// ``maxAttributes``, keys per ``AttributeKey``, values at most 1000 characters; `external_id` per
    /// ``Identifier``, at most 128 characters; `customer_since` not before 1900 and not more than a day ahead.
    /// Output-only fields (id, times, version) are left as they are.
    ///
    /// - Parameters:
    ///   - prefix: the path of the customer in the request, `customer` or `customers[3]` for a batch row;
    ///     every violation's field starts with it.
    ///   - now: the server's clock, against which `customer_since` is checked.
    /// - Throws: one ``CRMError`` (`invalidArgument`) listing every violation.
    public func validated(field prefix: String, now: Date = Date()) throws -> Customer {
        var collector = ViolationCollector()
        var result = self
        func path(_ name: String) -> String { FieldPath.member(prefix, name) }

        result.displayName =
            try collector.check {
                try TextField.normalized(displayName, field: path("display_name"), required: true, maxLength: 200)
            } ?? displayName
        result.email = try collector.check { try EmailAddress.normalized(email, field: path("email")) } ?? email
        // The country comes before the phone: a national number is only meaningful in its country.
        let country = try collector.check {
            try CountryCode.normalized(address.country, field: path("address.country"))
        }
        if let country {
            result.address.country = country
        }
        result.phone =
            try collector.check { try PhoneNumber.normalized(phone, country: country ?? "", field: path("phone")) }
            ?? phone
        result.company =
            try collector.check { try TextField.normalized(company, field: path("company"), maxLength: 200) } ?? company
        result.address = try validatedAddress(result.address, prefix: path("address"), collector: &collector)
        result.externalID =
            try collector.check { try Identifier.normalized(externalID, field: path("external_id"), maxLength: 128) }
            ?? externalID
        result.tags = try validatedTags(prefix: path("tags"), collector: &collector)
        result.attributes = try validatedAttributes(prefix: path("attributes"), collector: &collector)
        if let customerSince {
            _ = try collector.check {
                try EventTime.checkPlausible(customerSince, field: path("customer_since"), now: now)
            }
        }

        try collector.throwIfAny()
        return result
    }

    /// `address` with its free-text lines trimmed; the country is checked by the caller, before the phone.
    private func validatedAddress(
        _ address: PostalAddress,
        prefix: String,
        collector: inout ViolationCollector
    ) throws -> PostalAddress {
        var result = address
        func text(_ value: String, _ name: String, maxLength: Int, multiline: Bool = false) throws -> String {
            try collector.check {
                try TextField.normalized(
                    value,
                    field: FieldPath.member(prefix, name),
                    maxLength: maxLength,
                    multiline: multiline
                )
            } ?? value
        }
        // A street may take two lines ("c/o …" above the street), so line breaks are allowed there.
        result.street = try text(address.street, "street", maxLength: 200, multiline: true)
        result.city = try text(address.city, "city", maxLength: 100)
        result.region = try text(address.region, "region", maxLength: 100)
        result.postalCode = try text(address.postalCode, "postal_code", maxLength: 20)
        return result
    }

    /// The tags normalised, sorted and without duplicates.
    private func validatedTags(prefix: String, collector: inout ViolationCollector) throws -> [String] {
        var unique = Set<String>()
        for (index, tag) in tags.enumerated() {
            if let normalized = try collector.check({ try Tag.normalized(tag, field: FieldPath.element(prefix, index)) }
            ) {
                unique.insert(normalized)
            }
        }
        if unique.count > Self.maxTags {
            collector.add(prefix, "must have at most \(Self.maxTags) tags (got \(unique.count))")
        }
        return unique.sorted()
    }

    /// The attributes with their values trimmed; keys are checked but kept as sent.
    private func validatedAttributes(prefix: String, collector: inout ViolationCollector) throws -> [String: String] {
        if attributes.count > Self.maxAttributes {
            collector.add(prefix, "must have at most \(Self.maxAttributes) attributes (got \(attributes.count))")
        }
        var result: [String: String] = [:]
        // Sorted so that violations come in the same order on every call.
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let field = FieldPath.entry(prefix, key)
            _ = try collector.check { try AttributeKey.normalized(key, field: field) }
            result[key] =
                try collector.check { try TextField.normalized(value, field: field, maxLength: 1000) } ?? value
        }
        return result
    }
}
