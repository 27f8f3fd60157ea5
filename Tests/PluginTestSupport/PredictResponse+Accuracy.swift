package import CRMPluginKit

extension PredictResponse {
    /// The fraction of `data`'s rows whose label the prediction gets right.
    package func accuracy(on data: Dataset) -> Double {
        let correct = zip(predictedClasses, data.labels).count { $0 == $1 }
        return Double(correct) / Double(max(data.rowCount, 1))
    }
}
