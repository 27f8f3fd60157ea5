public import Foundation

/// A change-log entry as callers read it: the fields the change touched, each with its value before
/// and after, personal values opened with the customer's key when it still exists.
public struct ChangeEntry: Sendable, Hashable {
    public struct FieldChange: Sendable, Hashable {
        public var name: String
        /// JSON text; nil when the record did not exist before the change.
        public var before: String?
        /// JSON text; nil when the record was removed by the change.
        public var after: String?
        /// A field that identifies a person (sealed in the log).
        public var personal: Bool

        public init(name: String, before: String?, after: String?, personal: Bool) {
            self.name = name
            self.before = before
            self.after = after
            self.personal = personal
        }
    }

    public var revision: Int64
    public var time: Date
    public var actor: ChangeActor
    public var resource: String
    public var customerID: Int64
    public var kind: ChangeKind
    public var fields: [FieldChange]
    /// The entry held personal values that can no longer be read: the customer was erased.
    public var personalErased: Bool
    /// The entry's hash, lower-case hex.
    public var hash: String

    /// Decodes `record`, opening its sealed values with `key` (nil when the key was destroyed).
    public init(_ record: ChangeRecord, key: PersonalDataKey?) throws {
        revision = record.revision
        time = record.time
        actor = record.actor
        resource = record.resource
        customerID = record.customerID
        kind = record.kind
        hash = record.hash.hexString
        personalErased = false

        let beforeClear = try record.before.map(ChangeImage.fields(ofObject:))
        let afterClear = try record.after.map(ChangeImage.fields(ofObject:))
        var beforePersonal: [ChangeImage.Field]? = nil
        var afterPersonal: [ChangeImage.Field]? = nil
        if let sealed = record.sealed {
            if let key, key.id == record.keyID {
                let opened = try key.open(sealed)
                beforePersonal = try opened.before.map(ChangeImage.fields(ofObject:))
                afterPersonal = try opened.after.map(ChangeImage.fields(ofObject:))
            } else {
                personalErased = true
            }
        }
        fields =
            Self.changes(before: beforeClear, after: afterClear, personal: false)
            + Self.changes(before: beforePersonal, after: afterPersonal, personal: true)
        fields.sort { $0.name < $1.name }
    }

    /// A creation lists every field of the after-image, a removal every field of the before-image, an
    /// update the fields whose previous values it kept.
    private static func changes(
        before: [ChangeImage.Field]?,
        after: [ChangeImage.Field]?,
        personal: Bool
    ) -> [FieldChange] {
        switch (before, after) {
        case (nil, nil):
            return []
        case (nil, let after?):
            return after.map { FieldChange(name: $0.name, before: nil, after: $0.json, personal: personal) }
        case (let before?, nil):
            return before.map { FieldChange(name: $0.name, before: $0.json, after: nil, personal: personal) }
        case (let before?, let after?):
            let values = Dictionary(after.map { ($0.name, $0.json) }, uniquingKeysWith: { first, _ in first })
            return before.map {
                FieldChange(name: $0.name, before: $0.json, after: values[$0.name], personal: personal)
            }
        }
    }
}

/// The newest entry of the change log; revision 0 and the genesis hash when it is empty.
public struct ChangeLogHead: Sendable, Hashable {
    public var revision: Int64
    public var hash: Data

    public init(revision: Int64, hash: Data) {
        self.revision = revision
        self.hash = hash
    }
}

/// Which entries to read: those after a revision, optionally narrowed.
public struct ChangeQuery: Sendable, Hashable {
    public var afterRevision: Int64
    public var limit: Int
    /// An exact resource name (`customers/12`), or a collection (`customers`); empty for all.
    public var resource: String
    /// Only entries about this customer's records (the customer, its orders, payments, interactions).
    public var customerID: Int64?
    public var uid: UInt32?
    public var since: Date?
    /// A method, whole (`/crm.v1.CustomerService/UpdateCustomer`) or its last part (`UpdateCustomer`).
    public var method: String

    public init(
        afterRevision: Int64 = 0,
        limit: Int = 100,
        resource: String = "",
        customerID: Int64? = nil,
        uid: UInt32? = nil,
        since: Date? = nil,
        method: String = ""
    ) {
        self.afterRevision = afterRevision
        self.limit = limit
        self.resource = resource
        self.customerID = customerID
        self.uid = uid
        self.since = since
        self.method = method
    }
}

/// What ``ChangeLogStore/verifyChangeLog(expectedHead:)`` found.
public struct ChangeLogVerification: Sendable, Hashable {
    public struct Problem: Sendable, Hashable {
        /// The first revision that does not hold: a broken link, or the latest entry of a record that
        /// the record no longer matches; 0 for a record no entry describes.
        public var revision: Int64
        public var resource: String
        public var description: String

        public init(revision: Int64, resource: String, description: String) {
            self.revision = revision
            self.resource = resource
            self.description = description
        }
    }

    public var entries: Int64 = 0
    public var head = ChangeLogHead(revision: 0, hash: ChangeRecord.genesis)
    /// Live records compared with the after-image of their latest entry.
    public var recordsChecked: Int64 = 0
    /// In revision order, the chain's first; at most a hundred.
    public var problems: [Problem] = []
    /// Whether the hash asked for (one written to the journal earlier) is in the chain; nil when none was.
    public var expectedHeadFound: Bool? = nil

    public init() {}

    public var intact: Bool { problems.isEmpty && expectedHeadFound != false }
}

extension Data {
    /// Lower-case hex.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of lower- or upper-case hex text; nil when it is not hex.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}

/// The change log: one append-only, hash-chained record of every mutation (docs/audit.md).
///
/// Every write of the other parts of the store appends to it in the same transaction, under the
/// ``ChangeActor/current`` actor (crmd's own when there is none).
public protocol ChangeLogStore: Sendable {
    /// Entries in revision order.
    func changes(_ query: ChangeQuery) async throws -> [ChangeEntry]

    func changeLogHead() async throws -> ChangeLogHead

    /// Walks the chain from the first entry, recomputing every hash, then compares every live customer,
    /// order, payment and interaction with the after-image of its latest entry. Reads one snapshot.
    /// - Parameter expectedHead: a hash the chain must contain (one copied to the journal).
    func verifyChangeLog(expectedHead: Data?) async throws -> ChangeLogVerification

    /// Appends an entry about something that is not a record (a plugin reload, a backup): `details`
    /// become its after-image.
    func recordEvent(resource: String, details: [String: String]) async throws -> ChangeLogHead

    /// Anonymises the customer's personal fields and the subjects and bodies of its interactions,
    /// destroys the key its change-log entries are sealed with (they stay in the chain, unreadable),
    /// and purges what the search index held about it. Orders and payments stay, for the accounts.
    /// `.notFound`; `.aborted` on a stale `expectedVersion`.
    func eraseCustomer(id: Int64, expectedVersion: Int64?) async throws -> Customer

    /// The id of the storage key that wraps new data keys; nil when they are stored raw.
    var storageKeyID: String? { get }

    /// Re-wraps every data key that the current storage key does not wrap (raw ones, and those of a
    /// previous key) under it, in short transactions while writes go on. `.failedPrecondition` without
    /// a storage key.
    /// - Parameter progress: called with the keys re-wrapped so far.
    func rewrapDataKeys(progress: @escaping @Sendable (Int64) -> Void) async throws -> Int64

    /// Seals, in short transactions while writes go on, the values that crmd seals with a storage key
    /// but finds in clear: written before it had the key, or before an attribute was declared sensitive.
    /// Contents, versions and etags stay as they are. `.failedPrecondition` without a storage key.
    /// - Parameter progress: called with the records sealed so far.
    func sealClearValues(progress: @escaping @Sendable (Int64) -> Void) async throws -> SealedCounts
}

/// What ``ChangeLogStore/sealClearValues(progress:)`` sealed.
public struct SealedCounts: Sendable, Equatable {
    public var customers: Int64 = 0
    public var interactions: Int64 = 0

    public init(customers: Int64 = 0, interactions: Int64 = 0) {
        self.customers = customers
        self.interactions = interactions
    }
}
