import CRMProto
import GRPCCore

/// Finds the external ids of customers and orders that a record names only by resource name,
/// asking crmd once per name.
struct ExternalIDLookup {
    let client: GRPCClient<Daemon.Transport>
    private var cache: [String: String] = [:]
    /// Records whose reference has no external id, so that the column stays empty.
    private(set) var missing = 0

    init(client: GRPCClient<Daemon.Transport>) {
        self.client = client
    }

    mutating func customer(_ name: String) async throws -> String {
        if let known = cache[name] { return count(known) }
        let customer = try await Crm_V1_CustomerService.Client(wrapping: client).getCustomer(.with { $0.name = name })
        cache[name] = customer.externalID
        return count(customer.externalID)
    }

    mutating func order(_ name: String) async throws -> String {
        if let known = cache[name] { return count(known) }
        let order = try await Crm_V1_OrderService.Client(wrapping: client).getOrder(.with { $0.name = name })
        cache[name] = order.externalID
        return count(order.externalID)
    }

    private mutating func count(_ externalID: String) -> String {
        if externalID.isEmpty { missing += 1 }
        return externalID
    }

    func warnAboutMissing(noun: String, column: String) {
        guard missing > 0 else { return }
        Terminal.warn(
            "crmctl: warning: \(missing) \(noun) reference a record without an external id; their \(column) is empty and import cannot resolve them"
        )
    }
}
