import Crypto
public import Foundation

/// A record as the change log keeps it: each field's value as canonical JSON text, in field-name
/// order, with the fields that identify a person apart so that they can be sealed (``PersonalDataKey``).
///
/// Two images of the same record are equal exactly when every field the log tracks is equal, which is
/// what `audit verify` compares a live record with. Values derived from other records (an order's paid
/// amount) are left out: they change without a change of their own.
public struct ChangeImage: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        /// The value as JSON text (`"a@example.com"`, `3`, `null`, `["vip"]`).
        public var json: String

        public init(_ name: String, _ json: String) {
            self.name = name
            self.json = json
        }
    }

    /// `customers/12`.
    public var resource: String
    /// The customer the record belongs to (the customer itself for a customer); 0 for none.
    public var customerID: Int64
    public var clear: [Field]
    /// Fields that identify a person: stored sealed under the customer's key.
    public var personal: [Field]

    public init(resource: String, customerID: Int64, clear: [Field] = [], personal: [Field] = []) {
        self.resource = resource
        self.customerID = customerID
        self.clear = clear
        self.personal = personal
    }

    /// The fields of `self` whose value is not the same in `other`, with their values in `self`.
    public func fields(differingFrom other: ChangeImage) -> (clear: [Field], personal: [Field]) {
        func differing(_ mine: [Field], _ theirs: [Field]) -> [Field] {
            let values = Dictionary(theirs.map { ($0.name, $0.json) }, uniquingKeysWith: { first, _ in first })
            return mine.filter { values[$0.name] != $0.json }
        }
        return (differing(clear, other.clear), differing(personal, other.personal))
    }

    /// The JSON object text of `fields`, in their order: `{"a":1,"b":"x"}`.
    public static func objectText(_ fields: [Field]) -> String {
        var text = "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { text += "," }
            JSONString.append(field.name, to: &text)
            text += ":"
            text += field.json
        }
        return text + "}"
    }

    /// The fields of a JSON object written by ``objectText(_:)``, each value kept as its JSON text.
    public static func fields(ofObject text: String) throws -> [Field] {
        var reader = JSONString.Reader(text)
        return try reader.objectMembers().map { Field($0.0, $0.1) }
    }
}

/// A value of a record that the change log keeps.
public protocol ChangeImaging {
    var changeImage: ChangeImage { get }
}

extension ChangeImage {
    /// Builds the fields of an image; each `add` keeps the name order given, which must be sorted.
    package struct Builder {
        package var fields: [Field] = []

        package init() {}

        package mutating func add(_ name: String, _ value: String) {
            var json = ""
            JSONString.append(value, to: &json)
            fields.append(Field(name, json))
        }

        package mutating func add(_ name: String, _ value: Int64) {
            fields.append(Field(name, String(value)))
        }

        package mutating func add(_ name: String, time: Date?) {
            guard let time else {
                fields.append(Field(name, "null"))
                return
            }
            add(name, ChangeImage.timeText(time))
        }

        package mutating func add(_ name: String, _ values: [String]) {
            fields.append(Field(name, JSONString.array(values)))
        }

        package mutating func add(_ name: String, _ values: [String: String]) {
            fields.append(Field(name, JSONString.object(values)))
        }

        package mutating func add(_ name: String, json: String) {
            fields.append(Field(name, json))
        }
    }

    /// RFC 3339 in UTC with microseconds (`2026-12-07T21:26:46.123456Z`), the store's precision.
    public static func timeText(_ time: Date) -> String {
        let micros = time.microsecondsSince1970
        let seconds = micros.quotientRoundingDown(1_000_000)
        let fraction = micros - seconds * 1_000_000
        var tm = tm()
        var t = time_t(seconds)
        gmtime_r(&t, &tm)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let digits = String(fraction)
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):"
            + "\(two(tm.tm_min)):\(two(tm.tm_sec))."
            + String(repeating: "0", count: 6 - digits.count) + digits + "Z"
    }
}

extension Int64 {
    fileprivate func quotientRoundingDown(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}

extension Customer: ChangeImaging {
    /// Name, email, phone, street, city, region, postal code and attributes identify a person and are
    /// sealed; the company, country, tags, stage and keys are not.
    public var changeImage: ChangeImage {
        var clear = ChangeImage.Builder()
        clear.add("company", company)
        clear.add("country", address.country)
        clear.add("customer_since", time: customerSince)
        clear.add("delete_time", time: deleteTime)
        clear.add("external_id", externalID)
        clear.add("lifecycle_stage", lifecycleStage.label)
        // Only when set: the images of customers never merged stay as they were before merging existed.
        if let mergedInto { clear.add("merged_into", ResourceName.customer(mergedInto)) }
        clear.add("tags", tags)
        clear.add("version", version)
        var personal = ChangeImage.Builder()
        personal.add("attributes", attributes)
        personal.add("city", address.city)
        personal.add("display_name", displayName)
        personal.add("email", email)
        personal.add("phone", phone)
        personal.add("postal_code", address.postalCode)
        personal.add("region", address.region)
        personal.add("street", address.street)
        return ChangeImage(resource: resourceName, customerID: id, clear: clear.fields, personal: personal.fields)
    }
}

extension Order: ChangeImaging {
    /// Nothing of an order identifies a person beyond its customer; the paid amount is derived from
    /// payments and left out.
    public var changeImage: ChangeImage {
        var clear = ChangeImage.Builder()
        clear.add("currency_code", currencyCode)
        clear.add("customer", ResourceName.customer(customerID))
        clear.add("external_id", externalID)
        var lines = "["
        for (index, line) in lineItems.enumerated() {
            if index > 0 { lines += "," }
            var item = ChangeImage.Builder()
            item.add("category", line.category)
            item.add("product_name", line.productName)
            item.add("quantity", line.quantity)
            item.add("sku", line.sku)
            item.add("unit_price_minor", line.unitPriceMinor)
            lines += ChangeImage.objectText(item.fields)
        }
        clear.add("line_items", json: lines + "]")
        clear.add("order_time", time: orderTime)
        clear.add("status", status.label)
        clear.add("version", version)
        return ChangeImage(resource: resourceName, customerID: customerID, clear: clear.fields)
    }
}

extension Payment: ChangeImaging {
    /// The customer follows from the order and is left out (it moves with the order).
    public var changeImage: ChangeImage {
        var clear = ChangeImage.Builder()
        clear.add("amount_minor", amountMinor)
        clear.add("currency_code", currencyCode)
        clear.add("external_id", externalID)
        clear.add("method", method)
        clear.add("order", ResourceName.order(orderID))
        clear.add("paid_time", time: paidTime)
        clear.add("version", version)
        return ChangeImage(resource: resourceName, customerID: customerID, clear: clear.fields)
    }
}

extension Interaction: ChangeImaging {
    /// The subject and body of a communication are personal and sealed.
    public var changeImage: ChangeImage {
        var clear = ChangeImage.Builder()
        clear.add("customer", ResourceName.customer(customerID))
        clear.add("direction", direction.label)
        clear.add("duration_seconds", Int64(durationSeconds))
        clear.add("external_id", externalID)
        clear.add("kind", kind.label)
        clear.add("occur_time", time: occurTime)
        clear.add("outcome", outcome)
        clear.add("topic", topic)
        clear.add("version", version)
        var personal = ChangeImage.Builder()
        personal.add("body", body)
        personal.add("subject", subject)
        return ChangeImage(
            resource: resourceName,
            customerID: customerID,
            clear: clear.fields,
            personal: personal.fields
        )
    }
}

extension StoredModel: ChangeImaging {
    /// What was trained, and the SHA-256 of the model's bytes (the bytes themselves stay in the model).
    public var changeImage: ChangeImage {
        var clear = ChangeImage.Builder()
        clear.add("algorithm", algorithm)
        clear.add("model_sha256", Data(SHA256.hash(data: model)).hexString)
        clear.add("plugin", plugin)
        clear.add("target", target)
        clear.add("version", Int64(version))
        return ChangeImage(resource: "models/\(id)", customerID: 0, clear: clear.fields)
    }
}
