import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf

/// Builders for the messages the tests send.
enum Fixture {
    static func customer(
        _ displayName: String,
        email: String = "",
        phone: String = "",
        company: String = "",
        city: String = "",
        country: String = "",
        tags: [String] = [],
        attributes: [String: String] = [:],
        externalID: String = "",
        stage: Crm_V1_LifecycleStage = .unspecified,
        since: Int64? = nil
    ) -> Crm_V1_Customer {
        var customer = Crm_V1_Customer()
        customer.displayName = displayName
        customer.email = email
        customer.phone = phone
        customer.company = company
        if !city.isEmpty || !country.isEmpty {
            customer.address.city = city
            customer.address.country = country
        }
        customer.tags = tags
        customer.attributes = attributes
        customer.externalID = externalID
        customer.lifecycleStage = stage
        if let since { customer.customerSince = .init(seconds: since) }
        return customer
    }

    static func lineItem(
        _ product: String,
        category: String,
        quantity: Int64,
        unitPrice: Int64,
        sku: String = ""
    )
        -> Crm_V1_LineItem
    {
        var item = Crm_V1_LineItem()
        item.sku = sku.isEmpty ? "SKU-" + product.uppercased().replacingOccurrences(of: " ", with: "-") : sku
        item.productName = product
        item.category = category
        item.quantity = quantity
        item.unitPriceMinor = unitPrice
        return item
    }

    static func order(
        customer: String = "",
        customerExternalID: String = "",
        externalID: String = "",
        currency: String = "EUR",
        items: [Crm_V1_LineItem],
        time: String? = nil,
        status: Crm_V1_OrderStatus = .unspecified
    ) -> Crm_V1_Order {
        var order = Crm_V1_Order()
        order.customer = customer
        order.customerExternalID = customerExternalID
        order.externalID = externalID
        order.currencyCode = currency
        order.lineItems = items
        order.status = status
        if let time { order.orderTime = timestamp(time) }
        return order
    }

    static func payment(
        order: String = "",
        orderExternalID: String = "",
        externalID: String = "",
        amount: Int64,
        currency: String = "EUR",
        method: String = "card",
        time: String? = nil
    ) -> Crm_V1_Payment {
        var payment = Crm_V1_Payment()
        payment.order = order
        payment.orderExternalID = orderExternalID
        payment.externalID = externalID
        payment.amountMinor = amount
        payment.currencyCode = currency
        payment.method = method
        if let time { payment.paidTime = timestamp(time) }
        return payment
    }

    static func interaction(
        customer: String = "",
        customerExternalID: String = "",
        externalID: String = "",
        kind: Crm_V1_InteractionKind = .call,
        direction: Crm_V1_Direction = .outbound,
        time: String? = "2024-03-01T10:00:00Z",
        subject: String = "Follow-up",
        outcome: String = "interested",
        topic: String = "garden",
        duration: Int32 = 300
    ) -> Crm_V1_Interaction {
        var interaction = Crm_V1_Interaction()
        interaction.customer = customer
        interaction.customerExternalID = customerExternalID
        interaction.externalID = externalID
        interaction.kind = kind
        interaction.direction = direction
        if let time { interaction.occurTime = timestamp(time) }
        interaction.subject = subject
        interaction.outcome = outcome
        interaction.topic = topic
        interaction.durationSeconds = duration
        return interaction
    }

    /// An RFC 3339 UTC time such as `2024-03-01T10:00:00Z`.
    static func timestamp(_ text: String) -> Google_Protobuf_Timestamp {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad test timestamp \(text)") }
        return Google_Protobuf_Timestamp(date: date)
    }

    static func mask(_ paths: String...) -> Google_Protobuf_FieldMask {
        var mask = Google_Protobuf_FieldMask()
        mask.paths = paths
        return mask
    }
}

extension RunningServer {
    @discardableResult
    func createCustomer(_ customer: Crm_V1_Customer) async throws -> Crm_V1_Customer {
        var request = Crm_V1_CreateCustomerRequest()
        request.customer = customer
        return try await customers.createCustomer(request)
    }

    func getCustomer(_ name: String) async throws -> Crm_V1_Customer {
        var request = Crm_V1_GetCustomerRequest()
        request.name = name
        return try await customers.getCustomer(request)
    }

    func listCustomers(
        pageSize: Int32 = 0,
        pageToken: String = "",
        filter: String = "",
        orderBy: String = "",
        showDeleted: Bool = false
    ) async throws -> Crm_V1_ListCustomersResponse {
        var request = Crm_V1_ListCustomersRequest()
        request.pageSize = pageSize
        request.pageToken = pageToken
        request.filter = filter
        request.orderBy = orderBy
        request.showDeleted = showDeleted
        return try await customers.listCustomers(request)
    }

    /// Every page of a listing, following `next_page_token`.
    func listAllCustomers(
        pageSize: Int32,
        filter: String = "",
        orderBy: String = "",
        showDeleted: Bool = false
    )
        async throws -> (customers: [Crm_V1_Customer], pages: Int)
    {
        var all: [Crm_V1_Customer] = []
        var token = ""
        var pages = 0
        repeat {
            let page = try await listCustomers(
                pageSize: pageSize,
                pageToken: token,
                filter: filter,
                orderBy: orderBy,
                showDeleted: showDeleted
            )
            all += page.customers
            token = page.nextPageToken
            pages += 1
            if pages > 10_000 { throw HarnessError("paging does not end") }
        } while !token.isEmpty
        return (all, pages)
    }

    func stats() async throws -> Crm_V1_Stats {
        try await admin.getStats(Crm_V1_GetStatsRequest())
    }

    /// Streams `batches` to ImportCustomers, one request message per batch.
    func importCustomers(
        _ batches: [[Crm_V1_Customer]],
        atomic: Bool = false,
        validateOnly: Bool = false
    )
        async throws -> Crm_V1_ImportSummary
    {
        try await customers.importCustomers(requestProducer: { writer in
            for (index, batch) in batches.enumerated() {
                var message = Crm_V1_ImportCustomersRequest()
                message.customers = batch
                if index == 0 {
                    message.atomic = atomic
                    message.validateOnly = validateOnly
                }
                try await writer.write(message)
            }
        })
    }

    func exportCustomers(filter: String = "", showDeleted: Bool = false) async throws -> [Crm_V1_Customer] {
        var request = Crm_V1_ExportCustomersRequest()
        request.filter = filter
        request.showDeleted = showDeleted
        return try await customers.exportCustomers(request) { response in
            var all: [Crm_V1_Customer] = []
            for try await message in response.messages {
                all += message.customers
            }
            return all
        }
    }
}
