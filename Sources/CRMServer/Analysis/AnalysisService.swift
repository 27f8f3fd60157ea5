public import CRMCore
public import CRMProto
import Foundation
public import GRPCCore
public import Logging

/// `crm.v1.AnalysisService`: training, models, scores and the needs report (docs/analysis.md).
public struct AnalysisService<Store: HistoryStore & ModelStore>: Crm_V1_AnalysisService.SimpleServiceProtocol {
    let store: Store
    let host: PluginHost
    let logger: Logger
    /// Trainings running at once (`limits.concurrent_trainings`): each holds a dataset and a plugin
    /// process's memory.
    let trainings: Admission<Int>
    /// Runs trainings as jobs, so that a detached one outlives its call.
    let jobs: JobRunner

    /// Models per ListModels page when the request names no size, and the most.
    static var defaultPageSize: Int { 50 }
    static var maxPageSize: Int { 1000 }

    public init(
        store: Store,
        host: PluginHost,
        jobs: JobRunner,
        logger: Logger,
        concurrentTrainings: Int = 2
    ) {
        self.store = store
        self.host = host
        self.jobs = jobs
        self.trainings = Admission(limit: concurrentTrainings, setting: "limits.concurrent_trainings")
        var logger = logger
        logger[metadataKey: "component"] = "analysis"
        self.logger = logger
    }

    public func listAlgorithms(
        request: Crm_V1_ListAlgorithmsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListAlgorithmsResponse {
        var response = Crm_V1_ListAlgorithmsResponse()
        response.algorithms = AlgorithmCatalog(host: host).entries.map(Crm_V1_Algorithm.init)
        return response
    }

    public func train(
        request: Crm_V1_TrainRequest,
        response: RPCWriter<Crm_V1_TrainProgress>,
        context: ServerContext
    ) async throws {
        try trainings.take(for: 0, what: "trainings at once; wait for one to finish")
        var slotHandedOver = false
        defer { if !slotHandedOver { trainings.give(for: 0) } }
        let (messages, continuation) = AsyncStream.makeStream(
            of: Crm_V1_TrainProgress.self,
            bufferingPolicy: .bufferingNewest(64)
        )
        let outcome = TrainingOutcome()
        let training = TrainingJob(
            store: store,
            host: host,
            catalog: AlgorithmCatalog(host: host),
            request: request
        ) { stage, fraction, message in
            outcome.progress?.report(stage: stage.jobStage, fraction: fraction, message: message)
            guard !request.detach else { return }
            var progress = Crm_V1_TrainProgress()
            progress.job = outcome.progress?.name ?? ""
            progress.stage = stage
            progress.fraction = fraction
            progress.message = message
            continuation.yield(progress)
        }
        let target: String
        if case .registry(let registry)? = request.source {
            target = registry.target
        } else {
            target = "an uploaded table"
        }
        let trainings = self.trainings
        let logger = self.logger
        let job: JobRunner.Snapshot
        do {
            job = try jobs.start(
                kind: "train",
                description: "train \(request.algorithm) on \(target)",
                creatorUID: Caller.current?.uid ?? 0
            ) { progress in
                defer { trainings.give(for: 0) }
                outcome.progress = progress
                do {
                    let model = try await training.run()
                    outcome.model = model
                    logger.notice(
                        "model trained",
                        metadata: [
                            "job": "\(progress.name)", "model": "\(model.name)", "algorithm": "\(model.algorithm)",
                            "target": "\(model.target)", "accuracy": "\(model.evaluation.accuracy)",
                            "fit_seconds": "\(model.fitSeconds)",
                        ]
                    )
                    return model.name
                } catch {
                    outcome.error = error
                    throw error
                }
            }
        } catch let error as JobError {
            throw JobService.rpcError(error)
        }
        slotHandedOver = true

        if request.detach {
            // One message naming the job; it runs on in the job runner.
            var started = Crm_V1_TrainProgress()
            started.job = job.name
            started.message = "started \(job.name); follow it with `crmctl job wait \(job.name)`"
            try await response.write(started)
            return
        }
        async let written: Void = {
            for await message in messages {
                try await response.write(message)
            }
        }()
        // The caller following the job cancels it by cancelling the call or going away (grpc-swift
        // does not cancel the handler's task for that).
        let ended = try await withRPCCancellationHandler {
            try await withTaskCancellationHandler {
                try await jobs.result(of: job.name)
            } onCancel: {
                _ = try? jobs.cancel(job.name)
            }
        } onCancelRPC: {
            _ = try? jobs.cancel(job.name)
        }
        if ended.state == .succeeded, let model = outcome.model {
            var done = Crm_V1_TrainProgress()
            done.job = job.name
            done.stage = .done
            done.fraction = 1
            done.message = "stored \(model.name) (\(model.target) v\(model.version))"
            done.model = model
            continuation.yield(done)
            continuation.finish()
            try await written
            return
        }
        continuation.finish()
        _ = try? await written
        if ended.state == .cancelled || outcome.error is CancellationError {
            throw RPCError(code: .cancelled, message: "\(job.name) was cancelled; nothing was stored")
        }
        throw outcome.error ?? RPCError(code: .internalError, message: "\(job.name) ended without a model")
    }

    public func listModels(
        request: Crm_V1_ListModelsRequest,
        context: ServerContext
    ) async throws -> Crm_V1_ListModelsResponse {
        guard request.pageSize >= 0 else {
            throw CRMError.invalid("page_size", "must not be negative")
        }
        let size = request.pageSize == 0 ? Self.defaultPageSize : min(Int(request.pageSize), Self.maxPageSize)
        var before: Int64?
        if !request.pageToken.isEmpty {
            guard let token = Self.decodePageToken(request.pageToken, target: request.target) else {
                throw CRMError.invalid("page_token", "is not a token from ListModels with the same target")
            }
            before = token
        }
        let models = try await store.listModels(target: request.target, before: before, limit: size + 1)
        var response = Crm_V1_ListModelsResponse()
        response.models = try models.prefix(size).map(Crm_V1_Model.init)
        if models.count > size, let last = models.prefix(size).last {
            response.nextPageToken = Self.encodePageToken(before: last.id, target: request.target)
        }
        return response
    }

    public func getModel(request: Crm_V1_GetModelRequest, context: ServerContext) async throws -> Crm_V1_Model {
        try Crm_V1_Model(try await store.model(id: try Self.modelID(request.name, field: "name")))
    }

    public func predict(
        request: Crm_V1_PredictRequest,
        context: ServerContext
    ) async throws -> Crm_V1_PredictResponse {
        let stored = try await store.model(id: try Self.modelID(request.model, field: "model"))
        let scoring = try ModelScoring(host: host, stored: stored)
        let classNames = scoring.preprocessing.classNames
        var response = Crm_V1_PredictResponse()
        response.model = stored.resourceName
        let limit = request.responseLimit > 0 ? Int(request.responseLimit) : Int.max
        guard request.responseLimit >= 0 else {
            throw CRMError.invalid("response_limit", "must not be negative")
        }
        if request.hasDataset {
            guard request.customers.isEmpty else {
                throw CRMError.invalid("customers", "give customers or a dataset, not both")
            }
            let rows = try Self.rows(request.dataset, expecting: scoring.preprocessing.featureNames)
            let scores = try await scoring.score(rows)
            response.scored = Int32(scores.count)
            response.predictions = scores.prefix(limit).enumerated().map { row, score in
                var prediction = Crm_V1_Prediction()
                prediction.row = Int32(row)
                prediction.predictedClass = classNames[score.predictedClass]
                prediction.confidence = score.probabilities[score.predictedClass]
                prediction.probabilities = Crm_V1_ClassProbability.list(classNames, score.probabilities)
                prediction.drivers = score.drivers.map(Crm_V1_Driver.init)
                return prediction
            }
            return response
        }
        let asOf = request.hasAsOf ? request.asOf.date : Date()
        response.asOf = .init(date: asOf)
        let histories = try await histories(request.customers)
        let scores = try await scoring.score(histories, asOf: asOf)
        // Stored at the time their features are as of, which is what a score's time tells its readers.
        try await store.storeScores(scores, modelID: stored.id, at: asOf)
        response.scored = Int32(scores.count)
        response.predictions = scores.prefix(limit).map { Crm_V1_Prediction($0, classNames: classNames) }
        logger.info(
            "customers scored",
            metadata: ["model": "\(stored.resourceName)", "customers": "\(scores.count)"]
        )
        return response
    }

    public func getNeedsReport(
        request: Crm_V1_GetNeedsReportRequest,
        context: ServerContext
    ) async throws -> Crm_V1_NeedsReport {
        let stored: StoredModel
        if request.model.isEmpty {
            let target = request.target.isEmpty ? AnalysisTarget.nextCategory.text : request.target
            _ = try AnalysisTarget(parsing: target)
            guard let newest = try await store.listModels(target: target, before: nil, limit: 1).first else {
                throw CRMError(.notFound, "no model of target \(target) yet: train one first")
            }
            stored = newest
        } else {
            stored = try await store.model(id: try Self.modelID(request.model, field: "model"))
        }
        let builder = try NeedsReportBuilder(
            request: request,
            model: try Crm_V1_Model(stored),
            scoring: try ModelScoring(host: host, stored: stored)
        )
        let histories = try await store.customerHistories()
        if request.hasAsOf {
            // Scored afresh and stored as the customers' latest scores by this model, at their as-of time, so
            // that the customer view (GetCustomerSummary) shows what the report shows.
            let asOf = request.asOf.date
            let scores = try await builder.scoring.score(histories, asOf: asOf)
            try await store.storeScores(scores, modelID: stored.id, at: asOf)
            return try builder.report(histories: histories, scores: scores, scoredAt: asOf, asOf: asOf, now: Date())
        }
        var scored = try await store.scores(modelID: stored.id)
        if scored == nil {
            let now = Date()
            let scores = try await builder.scoring.score(histories, asOf: now)
            try await store.storeScores(scores, modelID: stored.id, at: now)
            scored = (scores, now)
        }
        return try builder.report(
            histories: histories,
            scores: scored!.scores,
            scoredAt: scored!.time,
            asOf: scored!.time,
            now: Date()
        )
    }

    public func exportDataset(
        request: Crm_V1_ExportDatasetRequest,
        context: ServerContext
    ) async throws -> Crm_V1_TabularDataset {
        var train = Crm_V1_TrainRequest()
        train.registry = request.registry
        train.testFraction = request.testFraction
        if case .randomState(let seed)? = request.seed {
            train.seed = .randomState(seed)
        }
        return try await DatasetExport(store: store, request: train).run()
    }

    // MARK: Helpers

    /// The histories of the named customers (`customers/{id}`), or of every customer.
    private func histories(_ names: [String]) async throws -> [CustomerHistory] {
        guard !names.isEmpty else { return try await store.customerHistories() }
        var wanted: [Int64] = []
        for (index, name) in names.enumerated() {
            wanted.append(try ResourceName.parseID(name, collection: "customers", field: "customers[\(index)]"))
        }
        let found = try await store.customerHistories(ids: wanted)
        let byID = Dictionary(found.map { ($0.customer.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try wanted.map { id in
            guard let history = byID[id] else {
                throw CRMError(.notFound, "\(ResourceName.customer(id)) does not exist")
            }
            return history
        }
    }

    static func modelID(_ name: String, field: String) throws -> Int64 {
        try ResourceName.parseID(name, collection: "models", field: field)
    }

    /// The rows of an uploaded table, checked against the model's columns.
    static func rows(_ dataset: Crm_V1_TabularDataset, expecting names: [String]) throws -> [[Double?]] {
        guard dataset.featureNames == names else {
            throw CRMError.invalid(
                "dataset.feature_names",
                "must be the model's columns in its order (\(names.joined(separator: ", ")))"
            )
        }
        guard !names.isEmpty, dataset.values.count % names.count == 0 else {
            throw CRMError.invalid("dataset.values", "has \(dataset.values.count) values, not rows of \(names.count)")
        }
        return dataset.rows
    }

    static func encodePageToken(before id: Int64, target: String) -> String {
        Data("\(id)|\(target)".utf8).base64EncodedString()
    }

    static func decodePageToken(_ token: String, target: String) -> Int64? {
        guard let data = Data(base64Encoded: token) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let bar = text.firstIndex(of: "|"), String(text[text.index(after: bar)...]) == target else {
            return nil
        }
        return Int64(text[..<bar])
    }
}
