package import CRMPluginKit

extension TrainRequest {
    /// A request to train `algorithm` on `dataset`.
    ///
    /// - Parameters:
    ///   - parameters: The algorithm's parameters, by name.
    ///   - seed: The request's `random_state`; `nil` leaves it unset.
    package init(algorithm: String, dataset: Dataset, parameters: [String: String] = [:], seed: Int64? = 0) {
        self.init()
        self.algorithm = algorithm
        self.dataset = dataset
        self.parameters = parameters
        if let seed {
            randomState = seed
        }
    }
}
