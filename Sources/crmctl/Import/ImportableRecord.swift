import CRMProto
import GRPCCore
import SwiftProtobuf

/// What the first message of an import stream asks of the whole stream.
struct ImportFlags: Sendable {
    /// The whole stream is one transaction.
    var atomic = true
    /// The server checks and reports, writing nothing.
    var validateOnly = false
    /// The valid rows of a batch are written, the others reported.
    var skipInvalid = false
    /// How a customer row without an external id finds the customer it updates.
    var match = Crm_V1_ImportMatch.unspecified
}

/// A record crmd takes through a client-streaming `ImportXxx` RPC.
protocol ImportableRecord: SwiftProtobuf.Message {
    associatedtype ImportRequest: SwiftProtobuf.Message

    /// One message of the stream.
    /// - Parameters:
    ///   - batch: the records of this message.
    ///   - first: whether this is the first message, the only one whose flags the server reads.
    ///   - flags: what the first message asks of the whole stream.
    static func importRequest(batch: [Self], first: Bool, flags: ImportFlags) -> ImportRequest

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
        flags: ImportFlags
    )
        -> Crm_V1_ImportCustomersRequest
    {
        .with {
            $0.customers = batch
            if first { $0.match = flags.match }
            $0.atomic = first && flags.atomic
            $0.validateOnly = first && flags.validateOnly
            $0.skipInvalid = first && flags.skipInvalid
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
        flags: ImportFlags
    )
        -> Crm_V1_ImportOrdersRequest
    {
        .with {
            $0.orders = batch
            $0.atomic = first && flags.atomic
            $0.validateOnly = first && flags.validateOnly
            $0.skipInvalid = first && flags.skipInvalid
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
        flags: ImportFlags
    )
        -> Crm_V1_ImportPaymentsRequest
    {
        .with {
            $0.payments = batch
            $0.atomic = first && flags.atomic
            $0.validateOnly = first && flags.validateOnly
            $0.skipInvalid = first && flags.skipInvalid
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
        flags: ImportFlags
    )
        -> Crm_V1_ImportInteractionsRequest
    {
        .with {
            $0.interactions = batch
            $0.atomic = first && flags.atomic
            $0.validateOnly = first && flags.validateOnly
            $0.skipInvalid = first && flags.skipInvalid
        }
    }

    static func sendImport(
        client: GRPCClient<Daemon.Transport>,
        producer: @escaping @Sendable (RPCWriter<Crm_V1_ImportInteractionsRequest>) async throws -> Void
    ) async throws -> Crm_V1_ImportSummary {
        try await Crm_V1_InteractionService.Client(wrapping: client).importInteractions(requestProducer: producer)
    }
}
