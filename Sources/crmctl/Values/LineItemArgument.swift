import CRMProto

/// A line item typed as `sku=A-1,name=Desk,category=office-supplies,qty=2,price=12.50`.
///
/// Keys: `sku`, `name` (or `product_name`), `category`, `qty` (or `quantity`), `price` (or
/// `unit_price`, in major units). A comma not followed by a known `key=` belongs to the value
/// before it, so `name=Desk, large` works.
enum LineItemArgument {
    static let keys = ["sku", "name", "product_name", "category", "qty", "quantity", "price", "unit_price"]

    /// The line item, with the price converted using `exponent`.
    static func parse(_ text: String, exponent: Int) throws(ValueError) -> Crm_V1_LineItem {
        var pairs: [(key: String, value: String)] = []
        for segment in text.split(separator: ",", omittingEmptySubsequences: false) {
            if let equals = segment.firstIndex(of: "="),
                keys.contains(String(segment[..<equals]).trimmingSpaces.lowercased())
            {
                pairs.append(
                    (
                        String(segment[..<equals]).trimmingSpaces.lowercased(),
                        String(segment[segment.index(after: equals)...])
                    )
                )
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].value += "," + segment
            } else {
                throw ValueError(
                    "expected key=value pairs (\(keys.joined(separator: ", "))), got \(text.quotedForError)"
                )
            }
        }
        var item = Crm_V1_LineItem()
        var seen = Set<String>()
        for (key, value) in pairs {
            let canonical: String
            switch key {
            case "name", "product_name": canonical = "name"
            case "qty", "quantity": canonical = "qty"
            case "price", "unit_price": canonical = "price"
            default: canonical = key
            }
            guard seen.insert(canonical).inserted else {
                throw ValueError("\(canonical) given twice in \(text.quotedForError)")
            }
            switch canonical {
            case "sku": item.sku = value.trimmingSpaces
            case "name": item.productName = value.trimmingSpaces
            case "category": item.category = value.trimmingSpaces
            case "qty":
                guard let quantity = Int64(value.trimmingSpaces) else {
                    throw ValueError("qty: not a whole number: \(value.trimmingSpaces.quotedForError)")
                }
                item.quantity = quantity
            default:
                do {
                    item.unitPriceMinor = try Money.minorUnits(fromMajor: value, exponent: exponent)
                } catch {
                    throw ValueError("price: \(error.reason)")
                }
            }
        }
        for required in ["name", "category", "qty", "price"] where !seen.contains(required) {
            throw ValueError("\(required)= is missing in \(text.quotedForError)")
        }
        return item
    }
}
