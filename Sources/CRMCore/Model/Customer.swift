public import Foundation

/// A person or organisation the company sells to.
public struct Customer: Sendable, Hashable {
    /// Row id; 0 for a customer not yet stored. The resource name is `customers/{id}`.
    public var id: Int64
    public var displayName: String
    /// Lower-cased; empty when unknown.
    public var email: String
    /// E.164 where the country is known; empty when unknown.
    public var phone: String
    public var company: String
    public var address: PostalAddress
    /// Sorted and unique.
    public var tags: [String]
    public var attributes: [String: String]
    /// The key in another system; empty when none.
    public var externalID: String
    public var lifecycleStage: LifecycleStage
    public var customerSince: Date?
    public var createTime: Date
    public var updateTime: Date
    public var deleteTime: Date?
    /// The customer this one was merged into (it is deleted then); nil when it was not.
    public var mergedInto: Int64?
    /// Grows by one on every write; the etag is derived from it.
    public var version: Int64

    public init(
        id: Int64 = 0,
        displayName: String = "",
        email: String = "",
        phone: String = "",
        company: String = "",
        address: PostalAddress = PostalAddress(),
        tags: [String] = [],
        attributes: [String: String] = [:],
        externalID: String = "",
        lifecycleStage: LifecycleStage = .unspecified,
        customerSince: Date? = nil,
        createTime: Date = Date(timeIntervalSince1970: 0),
        updateTime: Date = Date(timeIntervalSince1970: 0),
        deleteTime: Date? = nil,
        mergedInto: Int64? = nil,
        version: Int64 = 0
    ) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.phone = phone
        self.company = company
        self.address = address
        self.tags = tags
        self.attributes = attributes
        self.externalID = externalID
        self.lifecycleStage = lifecycleStage
        self.customerSince = customerSince
        self.createTime = createTime
        self.updateTime = updateTime
        self.deleteTime = deleteTime
        self.mergedInto = mergedInto
        self.version = version
    }

    public var resourceName: String { ResourceName.customer(id) }
    public var etag: String { Etag.make(version) }
    public var isDeleted: Bool { deleteTime != nil }

    /// Whether the fields a client can write are the same as in `other`.
    public func hasSameContent(as other: Customer) -> Bool {
        displayName == other.displayName && email == other.email && phone == other.phone
            && company == other.company && address == other.address && tags == other.tags
            && attributes == other.attributes && externalID == other.externalID
            && lifecycleStage == other.lifecycleStage && customerSince == other.customerSince
    }
}

public struct PostalAddress: Sendable, Hashable {
    public var street: String
    public var city: String
    public var region: String
    public var postalCode: String
    /// ISO 3166-1 alpha-2, upper case; empty when unknown.
    public var country: String

    public init(
        street: String = "",
        city: String = "",
        region: String = "",
        postalCode: String = "",
        country: String = ""
    ) {
        self.street = street
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
}

public enum LifecycleStage: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case lead = 1
    case prospect = 2
    case customer = 3
    case churned = 4

    /// The lower-case name used in filters and CSV files.
    public var label: String {
        switch self {
        case .unspecified: ""
        case .lead: "lead"
        case .prospect: "prospect"
        case .customer: "customer"
        case .churned: "churned"
        }
    }
}
