extension AlgorithmParameters {
    /// The seed of a training: `TrainRequest.random_state` when set, else the `random_state`
    /// parameter, else nil (scikit-learn's `random_state=None`).
    ///
    /// - Throws: ``PluginError`` (`invalidArgument`) when both are set and differ.
    public func randomState(for request: TrainRequest) throws(PluginError) -> Int64? {
        let parameter = try int("random_state").map { Int64($0) }
        guard case .randomState(let seed)? = request.seed else {
            return parameter
        }
        if let parameter, parameter != seed {
            throw PluginError(
                code: .invalidArgument,
                message: "parameter \"random_state\" (\(parameter)) contradicts the request's random_state (\(seed))"
            )
        }
        return seed
    }
}
