import Foundation

/// Merges customers that are one person into one of them, the survivor (docs/duplicates.md).
///
/// Runs inside one ``RegistryTransaction``, so it holds on every store: the others are soft-deleted
/// with `merged_into` set first (freeing their email and, when taken, their external id), then the
/// survivor gets the chosen fields, and the others' orders (their payments follow), interactions and
/// predictions move to it. Every write is a change-log entry of its own.
public enum CustomerMerge {
    /// The fields chosen customer by customer; tags and attributes are unioned instead.
    public static let fields = [
        "display_name", "email", "phone", "company", "address", "lifecycle_stage", "customer_since", "external_id",
    ]

    /// The most customers merged into one at once.
    public static let maxOthers = 20

    /// What one merge asks for.
    public struct Request: Sendable {
        public var survivor: Int64
        public var others: [Int64]
        /// Field → the customer to take it from (one of the survivor and the others).
        public var take: [String: Int64]
        public var expectedVersion: Int64?

        public init(survivor: Int64, others: [Int64], take: [String: Int64] = [:], expectedVersion: Int64? = nil) {
            self.survivor = survivor
            self.others = others
            self.take = take
            self.expectedVersion = expectedVersion
        }
    }

    /// Where one field of the survivor came from.
    public struct Choice: Sendable, Equatable {
        public var field: String
        public var value: String
        public var source: Int64
        /// Whether it differs from the survivor's value before the merge.
        public var changed: Bool
    }

    /// What a merge did (or, validated only, would do).
    public struct Outcome: Sendable {
        public var survivor: Customer
        public var merged: [Customer]
        public var choices: [Choice]
        public var movedOrders = 0
        public var movedPayments = 0
        public var movedInteractions = 0
        public var movedPredictions = 0
    }

    /// Checks the request's shape: names, counts, fields of `take`. `.invalidArgument` naming the field.
    public static func check(_ request: Request) throws {
        guard request.survivor > 0 else { throw CRMError.invalid("survivor", "is required") }
        guard !request.others.isEmpty, request.others.count <= maxOthers else {
            throw CRMError.invalid("others", "must name 1–\(maxOthers) customers (got \(request.others.count))")
        }
        if request.others.contains(request.survivor) {
            throw CRMError.invalid("others", "must not name the survivor \(ResourceName.customer(request.survivor))")
        }
        if Set(request.others).count != request.others.count {
            throw CRMError.invalid("others", "names a customer twice")
        }
        let members = Set(request.others + [request.survivor])
        for (field, source) in request.take.sorted(by: { $0.key < $1.key }) {
            guard fields.contains(field) else {
                throw CRMError.invalid("take", "\(field) is not a field to take (\(fields.joined(separator: ", ")))")
            }
            guard members.contains(source) else {
                throw CRMError.invalid(
                    "take",
                    "\(field) from \(ResourceName.customer(source)), which is neither the survivor nor one of the others"
                )
            }
        }
    }

    /// Merges in `transaction`; throws, leaving the transaction to roll back, on the first problem.
    public static func apply(_ request: Request, in transaction: any RegistryTransaction) throws -> Outcome {
        try check(request)
        let survivor = try live(transaction.customer(id: request.survivor), field: "survivor")
        if let expected = request.expectedVersion, expected != survivor.version {
            throw CRMError(
                .aborted,
                "\(survivor.resourceName) was changed by someone else: its etag is now \(survivor.etag); read it again"
            )
        }
        let others = try request.others.map { try live(transaction.customer(id: $0), field: "others") }
        let (merged, choices) = try combine(survivor: survivor, others: others, take: request.take)

        var outcome = Outcome(survivor: survivor, merged: [], choices: choices)
        for other in others {
            let releasing = !other.externalID.isEmpty && merged.externalID == other.externalID
            outcome.merged.append(
                try transaction.markMerged(id: other.id, into: survivor.id, releasingExternalID: releasing)
            )
        }
        outcome.survivor = try transaction.updateCustomer(id: survivor.id, expectedVersion: nil) { customer in
            customer = merged
        }
        for other in others {
            let records = try transaction.records(ofCustomer: other.id)
            for id in records.orders {
                _ = try transaction.updateOrder(id: id, expectedVersion: nil) { order in
                    order.customerID = survivor.id
                    order.customerExternalID = ""
                }
            }
            for id in records.interactions {
                _ = try transaction.updateInteraction(id: id, expectedVersion: nil) { interaction in
                    interaction.customerID = survivor.id
                    interaction.customerExternalID = ""
                }
            }
            outcome.movedOrders += records.orders.count
            outcome.movedPayments += records.payments.count
            outcome.movedInteractions += records.interactions.count
            outcome.movedPredictions += try transaction.movePredictions(from: other.id, to: survivor.id)
        }
        return outcome
    }

    /// The survivor with its fields chosen from all of them, and where each came from.
    static func combine(survivor: Customer, others: [Customer], take: [String: Int64]) throws -> (Customer, [Choice]) {
        // Newest first; the survivor first among equals.
        let ranked = ([survivor] + others).enumerated()
            .sorted { ($0.element.updateTime, -$0.offset) > ($1.element.updateTime, -$1.offset) }
            .map(\.element)
        var merged = survivor
        var choices: [Choice] = []
        func choose<Value: Equatable>(
            _ field: String,
            _ keyPath: WritableKeyPath<Customer, Value>,
            isEmpty: (Value) -> Bool,
            text: (Value) -> String,
            order: [Customer] = ranked
        ) {
            let source =
                take[field].flatMap { id in ranked.first { $0.id == id } }
                ?? order.first { !isEmpty($0[keyPath: keyPath]) } ?? survivor
            merged[keyPath: keyPath] = source[keyPath: keyPath]
            choices.append(
                Choice(
                    field: field,
                    value: text(source[keyPath: keyPath]),
                    source: source.id,
                    changed: source[keyPath: keyPath] != survivor[keyPath: keyPath]
                )
            )
        }
        choose("display_name", \.displayName, isEmpty: \.isEmpty, text: { $0 })
        choose("email", \.email, isEmpty: \.isEmpty, text: { $0 })
        choose("phone", \.phone, isEmpty: \.isEmpty, text: { $0 })
        choose("company", \.company, isEmpty: \.isEmpty, text: { $0 })
        // A country alone (often a default) does not make an address.
        choose("address", \.address, isEmpty: { PostalAddress(country: $0.country) == $0 }, text: \.singleLine)
        choose("lifecycle_stage", \.lifecycleStage, isEmpty: { $0 == .unspecified }, text: \.label)
        // The earliest known start: a person is a customer since their first record says so.
        choose(
            "customer_since",
            \.customerSince,
            isEmpty: { $0 == nil },
            text: { $0.map { ISO8601DateFormatter().string(from: $0) } ?? "" },
            order: ranked.sorted { ($0.customerSince ?? .distantFuture) < ($1.customerSince ?? .distantFuture) }
        )
        choose("external_id", \.externalID, isEmpty: \.isEmpty, text: { $0 })

        // Tags and attributes of all; on a clash of keys, the newest customer's value.
        merged.tags = Array(Set(ranked.flatMap(\.tags))).sorted()
        merged.attributes = [:]
        for customer in ranked.reversed() { merged.attributes.merge(customer.attributes) { _, newer in newer } }
        do {
            merged = try merged.validated(field: "survivor")
        } catch let error as CRMError {
            throw CRMError(.failedPrecondition, "the merged customer would not be valid: \(error.message)")
        }
        return (merged, choices)
    }

    private static func live(_ customer: Customer, field: String) throws -> Customer {
        guard customer.deleteTime == nil else {
            let reason =
                customer.mergedInto.map { "was merged into \(ResourceName.customer($0))" } ?? "is deleted"
            throw CRMError(
                .failedPrecondition,
                "\(customer.resourceName) \(reason)",
                violations: [.init(field: field, description: "\(customer.resourceName) \(reason)")]
            )
        }
        return customer
    }
}

extension PostalAddress {
    /// `street, postal code city, region, country`, the empty parts left out.
    public var singleLine: String {
        [street, [postalCode, city].filter { !$0.isEmpty }.joined(separator: " "), region, country]
            .filter { !$0.isEmpty }.joined(separator: ", ")
    }
}
