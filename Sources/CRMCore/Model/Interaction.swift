public import Foundation

/// A communication record: a visit, call, email, meeting or note.
public struct Interaction: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    /// Input: may name the customer instead of `customerID`. Output: the customer's external id.
    public var customerExternalID: String
    public var externalID: String
    public var kind: InteractionKind
    public var direction: Direction
    public var occurTime: Date
    public var subject: String
    public var body: String
    public var outcome: String
    public var topic: String
    public var durationSeconds: Int32
    public var createTime: Date
    public var updateTime: Date
    /// 1 when created; each update adds one.
    public var version: Int64

    public init(
        id: Int64 = 0,
        customerID: Int64 = 0,
        customerExternalID: String = "",
        externalID: String = "",
        kind: InteractionKind = .unspecified,
        direction: Direction = .unspecified,
        occurTime: Date = Date(timeIntervalSince1970: 0),
        subject: String = "",
        body: String = "",
        outcome: String = "",
        topic: String = "",
        durationSeconds: Int32 = 0,
        createTime: Date = Date(timeIntervalSince1970: 0),
        updateTime: Date = Date(timeIntervalSince1970: 0),
        version: Int64 = 1
    ) {
        self.id = id
        self.customerID = customerID
        self.customerExternalID = customerExternalID
        self.externalID = externalID
        self.kind = kind
        self.direction = direction
        self.occurTime = occurTime
        self.subject = subject
        self.body = body
        self.outcome = outcome
        self.topic = topic
        self.durationSeconds = durationSeconds
        self.createTime = createTime
        self.updateTime = updateTime
        self.version = version
    }

    public var resourceName: String { ResourceName.interaction(id) }
    public var etag: String { Etag.make(version) }

    public func hasSameContent(as other: Interaction) -> Bool {
        customerID == other.customerID && externalID == other.externalID && kind == other.kind
            && direction == other.direction && occurTime == other.occurTime && subject == other.subject
            && body == other.body && outcome == other.outcome && topic == other.topic
            && durationSeconds == other.durationSeconds
    }
}

public enum InteractionKind: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case visit = 1
    case call = 2
    case email = 3
    case meeting = 4
    case note = 5

    public var label: String {
        switch self {
        case .unspecified: ""
        case .visit: "visit"
        case .call: "call"
        case .email: "email"
        case .meeting: "meeting"
        case .note: "note"
        }
    }
}

public enum Direction: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case inbound = 1
    case outbound = 2
    case `internal` = 3

    public var label: String {
        switch self {
        case .unspecified: ""
        case .inbound: "inbound"
        case .outbound: "outbound"
        case .internal: "internal"
        }
    }
}
