/// The product categories of the demo data, with the names used in line items and topics.
enum ProductCategory: Int, CaseIterable, Sendable {
    case software, hardware, consulting, training, support, officeSupplies, cloud, security

    var id: String {
        switch self {
        case .software: return "software"
        case .hardware: return "hardware"
        case .consulting: return "consulting"
        case .training: return "training"
        case .support: return "support"
        case .officeSupplies: return "office-supplies"
        case .cloud: return "cloud"
        case .security: return "security"
        }
    }

    /// How the category reads in a sentence.
    var phrase: String {
        switch self {
        case .officeSupplies: return "office supplies"
        default: return id
        }
    }
}

/// Company size; drives order frequency, quantities, payment methods and contact channels.
enum Segment: String, CaseIterable, Sendable {
    case smb
    case midMarket = "mid-market"
    case enterprise
}

/// Something the demo customers buy.
struct DemoProduct: Sendable {
    var sku: String
    var name: String
    var category: ProductCategory
    /// List price in EUR in the first year.
    var price: Double
    /// Typical units per order for a small business.
    var quantity: ClosedRange<Int>
    /// Whether larger companies buy proportionally more units.
    var scales: Bool
    /// Whether the purchase is renewed yearly.
    var subscription: Bool
    /// Relative popularity within its category.
    var popularity: Double
}

/// An industry: how its companies are named and what they tend to buy.
struct DemoIndustry: Sendable {
    var id: String
    var weight: Double
    var nouns: [String]
    /// Purchase affinity per ``ProductCategory`` (by raw value).
    var affinity: [Double]
    /// Weights of smb, mid-market, enterprise.
    var segments: [Double]
}

struct DemoCity: Sendable {
    var name: String
    var region: String
    var postalCodes: [String]
    /// Area code as dialled after the country code.
    var area: String
}

struct DemoCountry: Sendable {
    var code: String
    var weight: Double
    var callingCode: String
    /// Digits after the area code.
    var subscriberDigits: Int
    var cities: [DemoCity]
    var firstNames: [String]
    var lastNames: [String]
    var legalForms: [String]
    var streets: [String]
    /// Whether the house number comes before the street name (`12 High Street`).
    var numberFirst: Bool
    var tld: String
    var webmail: [String]
    /// The sales region the `region` attribute names.
    var salesRegion: String
}
