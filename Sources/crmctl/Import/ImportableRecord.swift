import CRMProto
import GRPCCore
import SwiftProtobuf

/// A record crmd takes through a client-streaming `ImportXxx` RPC.
protocol ImportableRecord: SwiftProtobuf.Message {
    associatedtype ImportRequest: SwiftProtobuf.Message

    /// One message of the stream.
    /// - Parameters:
    ///   - batch: the records of this message.
    ///   - first: whether this is the first message, the only one whose flags the server reads.
    ///   - atomic: whether the whole stream is one transaction.
    ///   - validateOnly: whether the server should only validate.
    static func importRequest(batch: [Self], first: Bool, atomic: Bool, validateOnly: Bool) -> ImportRequest

    /// Calls the RPC with messages from `producer`.
    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<ImportRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary

    /// The external id, to name a record in a failure when no file line is known.
    var externalID: String { get }
}

extension Crm_V1_Customer: ImportableRecord {
    static func importRequest(
        batch: [Crm_V1_Customer],
        first: Bool,
        atomic: Bool,
        validateOnly: Bool
    )
        -> Crm_V1_ImportCustomersRequest
    {
        .with {
            $0.customers = batch
            $0.atomic = first && atomic
            $0.validateOnly = first && validateOnly
        }
    }

    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<Crm_V1_ImportCustomersRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary {
        try await Crm_V1_CustomerService.Client(wrapping: client).importCustomers(requestProducer: producer)
    }
}

extension Crm_V1_Order: ImportableRecord {
    static func importRequest(
        batch: [Crm_V1_Order],
        first: Bool,
        atomic: Bool,
        validateOnly: Bool
    )
        -> Crm_V1_ImportOrdersRequest
    {
        .with {
            $0.orders = batch
            $0.atomic = first && atomic
            $0.validateOnly = first && validateOnly
        }
    }

    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<Crm_V1_ImportOrdersRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary {
        try await Crm_V1_OrderService.Client(wrapping: client).importOrders(requestProducer: producer)
    }
}

extension Crm_V1_Payment: ImportableRecord {
    static func importRequest(
        batch: [Crm_V1_Payment],
        first: Bool,
        atomic: Bool,
        validateOnly: Bool
    )
        -> Crm_V1_ImportPaymentsRequest
    {
        .with {
            $0.payments = batch
            $0.atomic = first && atomic
            $0.validateOnly = first && validateOnly
        }
    }

    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<Crm_V1_ImportPaymentsRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary {
        try await Crm_V1_OrderService.Client(wrapping: client).importPayments(requestProducer: producer)
    }
}

extension Crm_V1_Interaction: ImportableRecord {
    static func importRequest(
        batch: [Crm_V1_Interaction],
        first: Bool,
        atomic: Bool,
        validateOnly: Bool
    )
        -> Crm_V1_ImportInteractionsRequest
    {
        .with {
            $0.interactions = batch
            $0.atomic = first && atomic
            $0.validateOnly = first && validateOnly
        }
    }

    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<Crm_V1_ImportInteractionsRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary {
        try await Crm_V1_InteractionService.Client(wrapping: client).importInteractions(requestProducer: producer)
    }
}
