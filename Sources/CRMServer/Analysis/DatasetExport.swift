import CRMCore
import CRMProto
import Foundation

/// The table a registry training would use — features before imputation and standardisation, the
/// labels, and the host's stratified split — for comparing algorithms with other tools.
struct DatasetExport<Store: HistoryStore & ModelStore> {
    let store: Store
    let request: Crm_V1_TrainRequest

    func run() async throws -> Crm_V1_TabularDataset {
        guard case .registry = request.source else {
            throw CRMError.invalid("registry", "is required")
        }
        let settings = try TrainingJob<Store>.Settings(request, needsAlgorithm: false)
        let collected = try await TrainingJob<Store>.collect(request, from: store)
        let table = try TrainingJob<Store>.split(collected.table, settings: settings)
        var dataset = Crm_V1_TabularDataset()
        dataset.featureNames = table.featureNames
        dataset.values.reserveCapacity(table.rowCount * table.featureCount)
        for row in table.rows {
            dataset.values.append(contentsOf: row.map { $0 ?? .nan })
        }
        dataset.labels = table.labels.map { $0 ?? "" }
        dataset.isTest = table.isTest ?? []
        dataset.source = "registry: \(collected.target), cut-off \(collected.cutoff.map { "\($0)" } ?? "-")"
        return dataset
    }
}
