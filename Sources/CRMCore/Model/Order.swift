public import Foundation

/// A purchase: line items in one currency, bought by one customer.
public struct Order: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    /// Input: may name the customer instead of `customerID`. Output: the customer's external id.
    public var customerExternalID: String
    public var externalID: String
    public var status: OrderStatus
    /// ISO 4217, upper case.
    public var currencyCode: String
    public var lineItems: [LineItem]
    /// Sum of the payments recorded against the order, in minor units.
    public var paidMinor: Int64
    public var orderTime: Date
    public var createTime: Date
    public var updateTime: Date
    public var version: Int64

    public init(
        id: Int64 = 0,
        customerID: Int64 = 0,
        customerExternalID: String = "",
        externalID: String = "",
        status: OrderStatus = .unspecified,
        currencyCode: String = "",
        lineItems: [LineItem] = [],
        paidMinor: Int64 = 0,
        orderTime: Date = Date(timeIntervalSince1970: 0),
        createTime: Date = Date(timeIntervalSince1970: 0),
        updateTime: Date = Date(timeIntervalSince1970: 0),
        version: Int64 = 0
    ) {
        self.id = id
        self.customerID = customerID
        self.customerExternalID = customerExternalID
        self.externalID = externalID
        self.status = status
        self.currencyCode = currencyCode
        self.lineItems = lineItems
        self.paidMinor = paidMinor
        self.orderTime = orderTime
        self.createTime = createTime
        self.updateTime = updateTime
        self.version = version
    }

    public var resourceName: String { ResourceName.order(id) }
    public var etag: String { Etag.make(version) }
    /// Sum of the line totals, in minor units.
    public var totalMinor: Int64 { lineItems.reduce(0) { $0 + $1.totalMinor } }

    /// Whether the fields an import can write are the same as in `other`.
    public func hasSameContent(as other: Order) -> Bool {
        customerID == other.customerID && externalID == other.externalID && status == other.status
            && currencyCode == other.currencyCode && lineItems == other.lineItems && orderTime == other.orderTime
    }
}

public struct LineItem: Sendable, Hashable {
    public var sku: String
    public var productName: String
    public var category: String
    public var quantity: Int64
    public var unitPriceMinor: Int64

    public init(
        sku: String = "",
        productName: String = "",
        category: String = "",
        quantity: Int64 = 0,
        unitPriceMinor: Int64 = 0
    ) {
        self.sku = sku
        self.productName = productName
        self.category = category
        self.quantity = quantity
        self.unitPriceMinor = unitPriceMinor
    }

    public var totalMinor: Int64 { quantity * unitPriceMinor }
}

public enum OrderStatus: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case pending = 1
    case confirmed = 2
    case shipped = 3
    case completed = 4
    case cancelled = 5
    case refunded = 6

    public var label: String {
        switch self {
        case .unspecified: ""
        case .pending: "pending"
        case .confirmed: "confirmed"
        case .shipped: "shipped"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .refunded: "refunded"
        }
    }
}

/// Money received against an order.
public struct Payment: Sendable, Hashable {
    public var id: Int64
    public var orderID: Int64
    /// Input: may name the order instead of `orderID`. Output: the order's external id.
    public var orderExternalID: String
    public var externalID: String
    public var amountMinor: Int64
    public var currencyCode: String
    public var paidTime: Date
    public var method: String
    /// Output only: the order's customer.
    public var customerID: Int64
    public var createTime: Date
    public var updateTime: Date
    /// 1 when created; each update adds one.
    public var version: Int64

    public init(
        id: Int64 = 0,
        orderID: Int64 = 0,
        orderExternalID: String = "",
        externalID: String = "",
        amountMinor: Int64 = 0,
        currencyCode: String = "",
        paidTime: Date = Date(timeIntervalSince1970: 0),
        method: String = "",
        customerID: Int64 = 0,
        createTime: Date = Date(timeIntervalSince1970: 0),
        updateTime: Date = Date(timeIntervalSince1970: 0),
        version: Int64 = 1
    ) {
        self.id = id
        self.orderID = orderID
        self.orderExternalID = orderExternalID
        self.externalID = externalID
        self.amountMinor = amountMinor
        self.currencyCode = currencyCode
        self.paidTime = paidTime
        self.method = method
        self.customerID = customerID
        self.createTime = createTime
        self.updateTime = updateTime
        self.version = version
    }

    public var resourceName: String { ResourceName.payment(id) }
    public var etag: String { Etag.make(version) }

    public func hasSameContent(as other: Payment) -> Bool {
        orderID == other.orderID && externalID == other.externalID && amountMinor == other.amountMinor
            && currencyCode == other.currencyCode && paidTime == other.paidTime && method == other.method
    }
}
