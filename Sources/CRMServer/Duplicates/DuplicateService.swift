public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore
import SwiftProtobuf

/// `crm.v1.DuplicateService`: finds customers entered twice (``DuplicateFinder``, as a job) and merges
/// them (``CustomerMerge``); docs/duplicates.md.
public struct DuplicateService<Store: RegistryStore>: Crm_V1_DuplicateService.SimpleServiceProtocol {
    let store: Store
    let jobs: JobRunner

    public init(store: Store, jobs: JobRunner) {
        self.store = store
        self.jobs = jobs
    }

    public func findDuplicates(request: Crm_V1_FindDuplicatesRequest, context: ServerContext) async throws -> Crm_V1_Job
    {
        guard request.threshold.isFinite, (0...1).contains(request.threshold) else {
            throw CRMError.invalid(
                "threshold",
                "must be between 0 and 1 (0: the default, \(DuplicateFinder.defaultThreshold))"
            )
        }
        let threshold = request.threshold > 0 ? request.threshold : DuplicateFinder.defaultThreshold
        // A bad filter is the caller's error now, not the job's later.
        let total = try await store.listCustomers(ListQuery(pageSize: 1, filter: request.filter)).totalSize
        let store = self.store
        let filter = request.filter
        do {
            let job = try jobs.start(
                kind: "find-duplicates",
                description: "find duplicates among \(total) customers" + (filter.isEmpty ? "" : " matching \(filter)"),
                creatorUID: Caller.current?.uid ?? 0
            ) { progress in
                var finder = DuplicateFinder(threshold: threshold)
                var query = ListQuery(pageSize: 1000, filter: filter)
                var read: Int64 = 0
                repeat {
                    try Task.checkCancellation()
                    let page = try await store.listCustomers(query)
                    for customer in page.items { finder.add(DuplicateCandidate(customer)) }
                    read += Int64(page.items.count)
                    progress.report(
                        stage: "read",
                        fraction: total > 0 ? 0.3 * Double(read) / Double(total) : 0,
                        message: "\(read) customers read"
                    )
                    query.pageToken = page.nextPageToken
                } while !query.pageToken.isEmpty
                let finished = finder
                // Comparing is seconds of CPU: on a thread of its own, not the cooperative pool.
                let groups = await onOwnThread("crmd-duplicates") {
                    finished.groups { fraction in
                        progress.report(stage: "compare", fraction: 0.3 + 0.65 * fraction, message: "comparing")
                    }
                }
                try await store.replaceDuplicateGroups(
                    groups.map {
                        StoredDuplicateGroup(members: $0.members, score: $0.score, signals: $0.signals.map(\.rawValue))
                    },
                    run: DuplicateRun(findTime: Date(), threshold: threshold, compared: read)
                )
                return "\(groups.count) groups among \(read) customers"
            }
            return Crm_V1_Job(job)
        } catch let error as JobError {
            throw JobService.rpcError(error)
        }
    }

    public func listDuplicateGroups(
        request: Crm_V1_ListDuplicateGroupsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListDuplicateGroupsResponse {
        guard request.minScore.isFinite, (0...1).contains(request.minScore) else {
            throw CRMError.invalid("min_score", "must be between 0 and 1")
        }
        let pageSize = try RequestChecks.pageSize(request.pageSize)
        let fingerprint = PageToken.fingerprint("duplicate-groups", String(request.minScore))
        let offset = request.pageToken.isEmpty ? 0 : try PageToken.decode(request.pageToken, query: fingerprint).offset
        let found = try await store.duplicateGroups(minScore: request.minScore, offset: offset, limit: pageSize)
        var response = Crm_V1_ListDuplicateGroupsResponse()
        response.totalSize = found.total
        if let run = found.run {
            response.findTime = Google_Protobuf_Timestamp(date: run.findTime)
            response.threshold = run.threshold
        }
        for group in found.groups {
            // Members merged or deleted since the run are no longer duplicates of anyone.
            var members: [Crm_V1_Customer] = []
            for id in group.members {
                guard let customer = try? await store.customer(id: id), customer.deleteTime == nil else { continue }
                members.append(customer.message)
            }
            guard members.count > 1 else { continue }
            response.groups.append(
                .with {
                    $0.members = members
                    $0.score = group.score
                    $0.signals = group.signals
                }
            )
        }
        if Int64(offset + pageSize) < found.total {
            response.nextPageToken = PageToken(offset: offset + pageSize, query: fingerprint).encoded()
        }
        return response
    }

    public func mergeCustomers(
        request: Crm_V1_MergeCustomersRequest,
        context: ServerContext
    ) async throws -> Crm_V1_MergeCustomersResponse {
        let survivor = try ResourceName.parseID(request.survivor, collection: "customers", field: "survivor")
        let others = try request.others.enumerated().map { index, name in
            try ResourceName.parseID(name, collection: "customers", field: "others[\(index)]")
        }
        var take: [String: Int64] = [:]
        for (field, name) in request.take {
            take[field] = try ResourceName.parseID(name, collection: "customers", field: "take[\(field)]")
        }
        let merge = CustomerMerge.Request(
            survivor: survivor,
            others: others,
            take: take,
            expectedVersion: try RequestChecks.expectedVersion(request.etag, field: "etag")
        )
        let outcome = try await store.mergeCustomers(merge, validateOnly: request.validateOnly)
        var response = Crm_V1_MergeCustomersResponse()
        response.survivor = outcome.survivor.message
        response.merged = outcome.merged.map(\.message)
        response.choices = outcome.choices.map { choice in
            .with {
                $0.field = choice.field
                $0.value = choice.value
                $0.source = ResourceName.customer(choice.source)
                $0.changed = choice.changed
            }
        }
        response.movedOrders = Int64(outcome.movedOrders)
        response.movedPayments = Int64(outcome.movedPayments)
        response.movedInteractions = Int64(outcome.movedInteractions)
        response.movedPredictions = Int64(outcome.movedPredictions)
        response.validateOnly = request.validateOnly
        return response
    }
}

extension DuplicateCandidate {
    /// What the duplicate search compares of a customer.
    init(_ customer: Customer) {
        self.init(
            id: customer.id,
            displayName: customer.displayName,
            email: customer.email,
            phone: customer.phone,
            company: customer.company,
            street: customer.address.street,
            postalCode: customer.address.postalCode,
            city: customer.address.city,
            country: customer.address.country
        )
    }
}
