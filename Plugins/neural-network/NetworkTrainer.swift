import CRMPluginKit
import Foundation

/// Trains a ``NetworkModel`` as scikit-learn's `MLPClassifier._fit_stochastic` does with the `adam` solver.
///
/// - Weights and biases start uniform in ±√(6 / (fan_in + fan_out)) (±√(2 / …) for logistic), drawn layer by
///   layer, weights then biases, from NumPy's `RandomState(random_state)`.
/// - With `early_stopping`, a stratified `validation_fraction` of the rows is held out (drawn after the weights).
/// - Each epoch shuffles the rows (the same generator), then takes mini-batches in order; each batch minimises
///   the mean cross-entropy plus `alpha / (2 · batch rows) · ‖W‖²` by one Adam step.
/// - The epoch's loss is the row-weighted mean of its batch losses. An epoch improves when the loss drops by more
///   than `tol` below the best so far (with early stopping: the validation accuracy rises by at least `tol` above
///   the best); more than `n_iter_no_change` epochs in a row without improvement stop training. Early stopping
///   then restores the weights of the best validation epoch.
struct NetworkTrainer {
    struct Outcome {
        var model: NetworkModel
        var lossCurve: [Double]
        /// Whether training stopped on the improvement rule before `max_iter`.
        var stoppedEarly: Bool
        var bestValidationScore: Double?
        /// The epoch (from 1) whose weights early stopping kept.
        var bestValidationEpoch: Int?
    }

    let dataset: Dataset
    let settings: NetworkSettings
    let shape: NetworkShape
    private var random: NumpyRandomState
    private var parameters: [Double]
    /// The rows trained on, in their current order.
    private var trainingRows: [Int32]
    /// The rows held out for early stopping.
    private(set) var validationRows: [Int32] = []

    var trainingRowCount: Int { trainingRows.count }
    var validationRowCount: Int { validationRows.count }

    init(dataset: Dataset, settings: NetworkSettings) throws(PluginError) {
        guard dataset.featureCount > 0 else {
            throw PluginError(code: .invalidArgument, message: "dataset: training needs at least one feature")
        }
        self.dataset = dataset
        self.settings = settings
        shape = NetworkShape(units: [dataset.featureCount] + settings.hiddenLayerSizes + [dataset.classNames.count])
        random = NumpyRandomState(seed: settings.seed)
        parameters = [Double](repeating: 0, count: shape.parameterCount)
        let factor = settings.activation == .logistic ? 2.0 : 6.0
        for layer in 1...shape.layerCount {
            let fanIn = shape.units[layer - 1]
            let fanOut = shape.units[layer]
            let bound = (factor / Double(fanIn + fanOut)).squareRoot()
            for index in shape.weightOffsets[layer]..<shape.biasOffsets[layer] + fanOut {
                parameters[index] = random.uniform(-bound, bound)
            }
        }
        trainingRows = (0..<Int32(dataset.rowCount)).map(\.self)
        if settings.earlyStopping {
            try holdOutValidationRows()
        }
    }

    /// Moves a stratified `validation_fraction` of the rows (rounded up, as scikit-learn's `train_test_split`) to
    /// ``validationRows``: each class gives its share, the remainders going to the largest fractional shares.
    private mutating func holdOutValidationRows() throws(PluginError) {
        let rowCount = dataset.rowCount
        let validationCount = Int((settings.validationFraction * Double(rowCount)).rounded(.up))
        guard validationCount >= 1, validationCount < rowCount else {
            throw PluginError(
                code: .invalidArgument,
                message: "parameter \"validation_fraction\" (\(settings.validationFraction)) of \(rowCount) rows "
                    + "leaves \(validationCount) validation rows and \(rowCount - validationCount) training rows; "
                    + "early_stopping needs at least one of each"
            )
        }
        var order = trainingRows
        order.withUnsafeMutableBufferPointer { random.shuffle($0) }
        let classCount = dataset.classNames.count
        var byClass = [[Int32]](repeating: [], count: classCount)
        for row in order {
            byClass[Int(dataset.labels[Int(row)])].append(row)
        }
        var shares = byClass.map { Int(Double(validationCount * $0.count) / Double(rowCount)) }
        let remainders = byClass.indices.map {
            Double(validationCount * byClass[$0].count) / Double(rowCount) - Double(shares[$0])
        }
        var missing = validationCount - shares.reduce(0, +)
        for index in byClass.indices.sorted(by: { remainders[$0] > remainders[$1] }) where missing > 0 {
            if shares[index] < byClass[index].count {
                shares[index] += 1
                missing -= 1
            }
        }
        var validation: [Int32] = []
        var training: [Int32] = []
        for (index, rows) in byClass.enumerated() {
            validation += rows.prefix(shares[index])
            training += rows.dropFirst(shares[index])
        }
        validationRows = validation.sorted()
        trainingRows = training.sorted()
    }

    /// Trains; reports progress and checks for cancellation once per epoch.
    mutating func train(context: PluginCallContext) throws(PluginError) -> Outcome {
        let settings = settings
        let rowCount = trainingRows.count
        let batchSize = settings.batchSize(rows: rowCount)
        let buffers = LayerBuffers(shape: shape, capacity: batchSize, training: true)
        let weights = dataset.sampleWeights
        let totalWeight = weights.isEmpty ? Double(rowCount) : trainingRows.reduce(0) { $0 + weights[Int($1)] }
        var batch = MiniBatch(capacity: batchSize)
        var optimizer = AdamOptimizer(parameterCount: shape.parameterCount, settings: settings)
        var gradients = [Double](repeating: 0, count: shape.parameterCount)
        var lossCurve: [Double] = []
        var bestLoss = Double.infinity
        var bestScore = -Double.infinity
        var bestParameters: [Double]? = nil
        var bestEpoch = 0
        var epochsWithoutImprovement = 0
        var stoppedEarly = false
        for epoch in 0..<settings.maxIterations {
            try context.checkCancellation()
            if settings.shuffle {
                trainingRows.withUnsafeMutableBufferPointer { random.shuffle($0) }
            }
            var accumulatedLoss = 0.0
            var start = 0
            while start < rowCount {
                let count = min(batchSize, rowCount - start)
                batch.gather(trainingRows[start..<start + count], from: dataset, into: buffers)
                if batch.weightSum > 0 {
                    let loss = step(batch, buffers: buffers, gradients: &gradients)
                    optimizer.update(&parameters, gradients: gradients)
                    accumulatedLoss += loss * batch.weightSum
                }
                start += count
            }
            let loss = accumulatedLoss / totalWeight
            lossCurve.append(loss)
            var message = "epoch \(epoch + 1)/\(settings.maxIterations), loss \(String(format: "%.6f", loss))"
            if settings.earlyStopping {
                let score = validationAccuracy(buffers: buffers, batch: &batch)
                message += ", validation accuracy \(String(format: "%.4f", score))"
                epochsWithoutImprovement = score < bestScore + settings.tolerance ? epochsWithoutImprovement + 1 : 0
                if score > bestScore {
                    bestScore = score
                    bestParameters = parameters
                    bestEpoch = epoch + 1
                }
            } else {
                epochsWithoutImprovement = loss > bestLoss - settings.tolerance ? epochsWithoutImprovement + 1 : 0
                bestLoss = min(bestLoss, loss)
            }
            context.reportProgress(Double(epoch + 1) / Double(settings.maxIterations), message)
            guard loss.isFinite else {
                throw PluginError(
                    code: .invalidArgument,
                    message: "training diverged (loss \(loss) in epoch \(epoch + 1)); lower learning_rate_init or "
                        + "standardise the features"
                )
            }
            if epochsWithoutImprovement > settings.iterationsWithoutChange {
                stoppedEarly = true
                break
            }
        }
        if let bestParameters {
            parameters = bestParameters
        }
        return Outcome(
            model: NetworkModel(shape: shape, activation: settings.activation, parameters: parameters),
            lossCurve: lossCurve,
            stoppedEarly: stoppedEarly,
            bestValidationScore: settings.earlyStopping ? bestScore : nil,
            bestValidationEpoch: settings.earlyStopping ? bestEpoch : nil
        )
    }

    /// One batch's forward and backward pass: fills `gradients` and returns the batch's loss.
    private func step(_ batch: MiniBatch, buffers: LayerBuffers, gradients: inout [Double]) -> Double {
        let layers = shape.layerCount
        let classCount = shape.classCount
        let rows = batch.count
        let alpha = settings.alpha
        let activation = settings.activation
        let scale = 1 / batch.weightSum
        return parameters.withUnsafeBufferPointer { parameterBuffer in
            gradients.withUnsafeMutableBufferPointer { gradientBuffer in
                let parameters = parameterBuffer.baseAddress!
                let gradients = gradientBuffer.baseAddress!
                let probabilities = buffers.forward(parameters, activation: activation, rows: rows)
                // Cross-entropy, and its gradient at the softmax's input: p − y, times the row's weight.
                var loss = 0.0
                let outputDeltas = buffers.deltas[layers]
                let smallest = Double.ulpOfOne
                for row in 0..<rows {
                    let label = Int(batch.labels[row])
                    let weight = batch.weights[row]
                    let p = probabilities + row * classCount
                    let deltas = outputDeltas + row * classCount
                    loss -= weight * log(min(max(p[label], smallest), 1 - smallest))
                    for index in 0..<classCount {
                        deltas[index] = p[index] * weight
                    }
                    deltas[label] -= weight
                }
                // ‖W‖² in four lanes: one running sum would be a chain of dependent additions as long as the
                // weights (the loss may differ from a sequential sum in its last bits).
                var lanes = SIMD4<Double>.zero
                var squaredWeights = 0.0
                for layer in 1...layers {
                    let weightsStart = parameters + shape.weightOffsets[layer]
                    let count = shape.units[layer - 1] * shape.units[layer]
                    var index = 0
                    while index + 4 <= count {
                        let values = UnsafeRawPointer(weightsStart + index).loadUnaligned(as: SIMD4<Double>.self)
                        lanes += values * values
                        index += 4
                    }
                    while index < count {
                        squaredWeights += weightsStart[index] * weightsStart[index]
                        index += 1
                    }
                }
                squaredWeights += lanes.sum()
                loss = loss * scale + 0.5 * alpha * squaredWeights * scale
                for layer in stride(from: layers, through: 1, by: -1) {
                    let inputs = shape.units[layer - 1]
                    let units = shape.units[layer]
                    let weights = parameters + shape.weightOffsets[layer]
                    let deltas = buffers.deltas[layer]
                    let inputValues = buffers.outputs[layer - 1]
                    let weightGradients = gradients + shape.weightOffsets[layer]
                    let biasGradients = gradients + shape.biasOffsets[layer]
                    // ∂W = (Aᵀ·Δ + α·W) / n, in i-k-j order along contiguous rows.
                    weightGradients.update(repeating: 0, count: inputs * units)
                    biasGradients.update(repeating: 0, count: units)
                    MatrixKernels.accumulateTransposedProduct(
                        inputValues,
                        rows: rows,
                        inputs: inputs,
                        deltas,
                        units: units,
                        into: weightGradients
                    )
                    for row in 0..<rows {
                        let delta = deltas + row * units
                        for unit in 0..<units {
                            biasGradients[unit] += delta[unit]
                        }
                    }
                    for index in 0..<inputs * units {
                        weightGradients[index] = (weightGradients[index] + alpha * weights[index]) * scale
                    }
                    for unit in 0..<units {
                        biasGradients[unit] *= scale
                    }
                    guard layer > 1 else {
                        break
                    }
                    // Δ_prev = Δ·Wᵀ, through a transposed copy of W so that the inner loop is contiguous.
                    let transposed = buffers.transposed
                    for k in 0..<inputs {
                        for unit in 0..<units {
                            transposed[unit * inputs + k] = weights[k * units + unit]
                        }
                    }
                    let previousDeltas = buffers.deltas[layer - 1]
                    for row in 0..<rows {
                        let previous = previousDeltas + row * inputs
                        previous.update(repeating: 0, count: inputs)
                        MatrixKernels.accumulate(
                            deltas + row * units,
                            count: units,
                            rowsOf: transposed,
                            width: inputs,
                            into: previous
                        )
                    }
                    multiplyByDerivative(activation, output: inputValues, previousDeltas, count: rows * inputs)
                }
                return loss
            }
        }
    }

    /// The (row-weighted) accuracy on the validation rows.
    private func validationAccuracy(buffers: LayerBuffers, batch: inout MiniBatch) -> Double {
        let classCount = shape.classCount
        var correct = 0.0
        var total = 0.0
        var start = 0
        parameters.withUnsafeBufferPointer { parameters in
            while start < validationRows.count {
                let count = min(buffers.capacity, validationRows.count - start)
                batch.gather(validationRows[start..<start + count], from: dataset, into: buffers)
                let probabilities = buffers.forward(
                    parameters.baseAddress!,
                    activation: settings.activation,
                    rows: count
                )
                for row in 0..<count {
                    let weight = batch.weights[row]
                    total += weight
                    if argmax(probabilities + row * classCount, count: classCount) == Int(batch.labels[row]) {
                        correct += weight
                    }
                }
                start += count
            }
        }
        return total > 0 ? correct / total : 0
    }
}

/// The rows of one mini-batch: their features copied into the input buffer, their labels and weights.
struct MiniBatch {
    var labels: [Int32]
    var weights: [Double]
    var count = 0
    var weightSum = 0.0

    init(capacity: Int) {
        labels = [Int32](repeating: 0, count: capacity)
        weights = [Double](repeating: 1, count: capacity)
    }

    mutating func gather(_ rows: ArraySlice<Int32>, from dataset: Dataset, into buffers: LayerBuffers) {
        let width = dataset.featureCount
        let input = buffers.outputs[0]
        let sampleWeights = dataset.sampleWeights
        count = rows.count
        weightSum = 0
        dataset.values.withUnsafeBufferPointer { values in
            for (position, row) in rows.enumerated() {
                let source = Int(row)
                (input + position * width).update(from: values.baseAddress! + source * width, count: width)
                labels[position] = dataset.labels[source]
                let weight = sampleWeights.isEmpty ? 1 : sampleWeights[source]
                weights[position] = weight
                weightSum += weight
            }
        }
    }
}
