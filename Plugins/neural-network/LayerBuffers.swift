import Foundation

/// Scratch memory for passes of up to ``capacity`` rows through a network: the input rows, each layer's outputs
/// and, for training, each layer's error terms (deltas), allocated once so that the passes allocate nothing.
///
/// Buffer `l` of ``outputs`` and ``deltas`` holds `rows × units[l]` values, row-major; `outputs[0]` is the input.
final class LayerBuffers {
    let shape: NetworkShape
    let capacity: Int
    let outputs: [UnsafeMutablePointer<Double>]
    let deltas: [UnsafeMutablePointer<Double>]
    /// Room for the largest weight matrix, transposed.
    let transposed: UnsafeMutablePointer<Double>
    private let memory: UnsafeMutablePointer<Double>

    /// - Parameters:
    ///   - shape: The network's layers.
    ///   - capacity: The most rows a pass takes.
    ///   - training: Whether to make room for deltas and a transposed weight matrix.
    init(shape: NetworkShape, capacity: Int, training: Bool) {
        self.shape = shape
        self.capacity = capacity
        let layerValues = shape.units.reduce(0) { $0 + $1 * capacity }
        var largestMatrix = 0
        for layer in 1...shape.layerCount {
            largestMatrix = max(largestMatrix, shape.units[layer - 1] * shape.units[layer])
        }
        let total = layerValues + (training ? layerValues + largestMatrix : 0)
        memory = .allocate(capacity: max(total, 1))
        memory.initialize(repeating: 0, count: max(total, 1))
        var offset = 0
        var outputs: [UnsafeMutablePointer<Double>] = []
        for units in shape.units {
            outputs.append(memory + offset)
            offset += units * capacity
        }
        var deltas: [UnsafeMutablePointer<Double>] = []
        if training {
            for units in shape.units {
                deltas.append(memory + offset)
                offset += units * capacity
            }
        }
        self.outputs = outputs
        self.deltas = deltas
        transposed = memory + offset
    }

    deinit {
        memory.deallocate()
    }

    /// Runs `rows` rows already in `outputs[0]` through the network; returns the class probabilities
    /// (`outputs[L]`).
    @discardableResult
    func forward(
        _ parameters: UnsafePointer<Double>,
        activation: NetworkModel.Activation,
        rows: Int
    ) -> UnsafeMutablePointer<Double> {
        let layers = shape.layerCount
        for layer in 1...layers {
            let inputs = shape.units[layer - 1]
            let units = shape.units[layer]
            let output = outputs[layer]
            MatrixKernels.affine(
                outputs[layer - 1],
                rows: rows,
                inputs: inputs,
                weights: parameters + shape.weightOffsets[layer],
                biases: parameters + shape.biasOffsets[layer],
                units: units,
                into: output
            )
            if layer < layers {
                activate(activation, output, count: rows * units)
            } else {
                softmax(output, rows: rows, classes: units)
            }
        }
        return outputs[layers]
    }

    /// Copies `rows` rows of `source` (row-major, `featureCount` wide) into `outputs[0]` and runs them through.
    @discardableResult
    func forward(
        _ parameters: UnsafePointer<Double>,
        activation: NetworkModel.Activation,
        input source: UnsafePointer<Double>,
        rows: Int
    ) -> UnsafeMutablePointer<Double> {
        outputs[0].update(from: source, count: rows * shape.featureCount)
        return forward(parameters, activation: activation, rows: rows)
    }
}

/// Applies the hidden activation in place.
func activate(_ activation: NetworkModel.Activation, _ values: UnsafeMutablePointer<Double>, count: Int) {
    switch activation {
    case .relu:
        // `max(v, 0)` is `0 >= v ? 0 : v` (NaN stays NaN), four lanes at a time as a select.
        var index = 0
        while index + 4 <= count {
            var lanes = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD4<Double>.self)
            lanes.replace(with: 0, where: lanes .<= 0)
            UnsafeMutableRawPointer(values + index).storeBytes(of: lanes, as: SIMD4<Double>.self)
            index += 4
        }
        while index < count {
            values[index] = max(values[index], 0)
            index += 1
        }
    case .tanh:
        for index in 0..<count {
            values[index] = Foundation.tanh(values[index])
        }
    case .logistic:
        for index in 0..<count {
            values[index] = 1 / (1 + exp(-values[index]))
        }
    case .identity:
        break
    }
}

/// Multiplies error terms by the activation's derivative, written in terms of the activation's output.
func multiplyByDerivative(
    _ activation: NetworkModel.Activation,
    output: UnsafePointer<Double>,
    _ deltas: UnsafeMutablePointer<Double>,
    count: Int
) {
    switch activation {
    case .relu:
        // A vector select rather than a branch: which units are zero is unpredictable, and the compiler turns
        // the scalar conditional into a branch.
        var index = 0
        while index + 4 <= count {
            let outputs = UnsafeRawPointer(output + index).loadUnaligned(as: SIMD4<Double>.self)
            var lanes = UnsafeRawPointer(deltas + index).loadUnaligned(as: SIMD4<Double>.self)
            lanes.replace(with: 0, where: .!(outputs .> 0))
            UnsafeMutableRawPointer(deltas + index).storeBytes(of: lanes, as: SIMD4<Double>.self)
            index += 4
        }
        while index < count {
            deltas[index] = output[index] > 0 ? deltas[index] : 0
            index += 1
        }
    case .tanh:
        for index in 0..<count {
            deltas[index] *= 1 - output[index] * output[index]
        }
    case .logistic:
        for index in 0..<count {
            deltas[index] *= output[index] * (1 - output[index])
        }
    case .identity:
        break
    }
}

/// Row-wise softmax in place, shifted by each row's maximum against overflow.
func softmax(_ values: UnsafeMutablePointer<Double>, rows: Int, classes: Int) {
    for row in 0..<rows {
        let scores = values + row * classes
        var largest = scores[0]
        for index in 1..<max(classes, 1) {
            largest = max(largest, scores[index])
        }
        var sum = 0.0
        for index in 0..<classes {
            let value = exp(scores[index] - largest)
            scores[index] = value
            sum += value
        }
        for index in 0..<classes {
            scores[index] /= sum
        }
    }
}
