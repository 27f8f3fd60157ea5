import CRMPluginKit
import Foundation

/// A trained network and its byte format.
///
/// Format version 1, little-endian throughout:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `CRNN` |
/// | 2 | format version (1) |
/// | 1 | hidden activation (0 relu, 1 tanh, 2 logistic, 3 identity) |
/// | 1 | output (0 softmax) |
/// | 4 | layer count L (UInt32, weight layers = hidden layers + 1, ≥ 1) |
/// | (L + 1) × 4 | units per layer (UInt32, each ≥ 1): features, hidden layers, classes |
/// | 8 × parameters | per layer: the weights (Float64, row-major inputs × outputs), then the biases (Float64) |
///
/// Decoding checks every field, so that prediction can index without checks: bad bytes are refused with
/// `FAILED_PRECONDITION`.
struct NetworkModel {
    enum Activation: UInt8 {
        case relu = 0
        case tanh = 1
        case logistic = 2
        case identity = 3
    }

    static let magic: [UInt8] = Array("CRNN".utf8)
    static let formatVersion: UInt16 = 1
    static let headerSize = 12

    var shape: NetworkShape
    var activation: Activation
    /// Every layer's weights then biases, at ``NetworkShape/weightOffsets`` and ``NetworkShape/biasOffsets``.
    var parameters: [Double]

    /// The rows a prediction pass takes at a time.
    static let chunkRows = 256

    /// Class probabilities and classes of `rows` rows.
    ///
    /// - Parameters:
    ///   - values: Row-major rows × features.
    ///   - rows: The number of rows.
    ///   - probabilities: Receives rows × classes probabilities.
    ///   - classes: Receives the most probable class of each row (the first on ties, as NumPy's argmax).
    ///   - chunkDone: Called after each chunk of rows with the rows done so far; may throw to stop.
    func predict(
        _ values: [Double],
        rows: Int,
        probabilities: inout [Double],
        classes: inout [Int32],
        chunkDone: (Int) throws -> Void
    ) rethrows {
        let classCount = shape.classCount
        let buffers = LayerBuffers(shape: shape, capacity: min(Self.chunkRows, max(rows, 1)), training: false)
        try parameters.withUnsafeBufferPointer { parameters in
            try values.withUnsafeBufferPointer { values in
                try probabilities.withUnsafeMutableBufferPointer { probabilities in
                    var start = 0
                    while start < rows {
                        let count = min(Self.chunkRows, rows - start)
                        let output = buffers.forward(
                            parameters.baseAddress!,
                            activation: activation,
                            input: values.baseAddress! + start * shape.featureCount,
                            rows: count
                        )
                        (probabilities.baseAddress! + start * classCount).update(
                            from: output,
                            count: count * classCount
                        )
                        for row in 0..<count {
                            classes[start + row] = Int32(argmax(output + row * classCount, count: classCount))
                        }
                        start += count
                        try chunkDone(start)
                    }
                }
            }
        }
    }

    /// The fraction of `dataset`'s rows whose label is the predicted class.
    func accuracy(on dataset: Dataset) -> Double {
        guard dataset.rowCount > 0 else {
            return 0
        }
        var probabilities = [Double](repeating: 0, count: dataset.rowCount * shape.classCount)
        var classes = [Int32](repeating: 0, count: dataset.rowCount)
        predict(dataset.values, rows: dataset.rowCount, probabilities: &probabilities, classes: &classes) { _ in }
        let correct = zip(classes, dataset.labels).count { $0 == $1 }
        return Double(correct) / Double(dataset.rowCount)
    }

    // MARK: - Bytes

    func encoded() -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + shape.units.count * 4 + parameters.count * 8)
        bytes += Self.magic
        bytes.appendLittleEndian(Self.formatVersion)
        bytes.append(activation.rawValue)
        bytes.append(0)
        bytes.appendLittleEndian(UInt32(shape.layerCount))
        for units in shape.units {
            bytes.appendLittleEndian(UInt32(units))
        }
        for parameter in parameters {
            bytes.appendLittleEndian(parameter.bitPattern)
        }
        return Data(bytes)
    }

    init(shape: NetworkShape, activation: Activation, parameters: [Double]) {
        self.shape = shape
        self.activation = activation
        self.parameters = parameters
    }

    init(decoding data: Data) throws(PluginError) {
        func refuse(_ reason: String) -> PluginError {
            PluginError(code: .failedPrecondition, message: "not a readable neural-network model: \(reason)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= Self.headerSize, Array(bytes[0..<4]) == Self.magic else {
            throw refuse("the bytes do not start with the neural-network header (magic CRNN)")
        }
        var reader = LittleEndianReader(bytes: bytes, offset: 4)
        let version: UInt16 = reader.read()
        guard version == Self.formatVersion else {
            throw refuse("format version \(version); this plugin reads version \(Self.formatVersion)")
        }
        let activationByte: UInt8 = reader.read()
        let output: UInt8 = reader.read()
        guard let activation = Activation(rawValue: activationByte) else {
            throw refuse("unknown activation \(activationByte)")
        }
        guard output == 0 else {
            throw refuse("unknown output layer \(output)")
        }
        let layerCount = Int(reader.read() as UInt32)
        guard layerCount >= 1, layerCount <= 1 << 10, bytes.count >= Self.headerSize + (layerCount + 1) * 4 else {
            throw refuse("\(layerCount) layers in \(bytes.count) bytes")
        }
        var units: [Int] = []
        for _ in 0...layerCount {
            units.append(Int(reader.read() as UInt32))
        }
        guard units.allSatisfy({ $0 >= 1 && $0 <= 1 << 24 }) else {
            throw refuse("layer sizes \(units.map(String.init).joined(separator: ","))")
        }
        let shape = NetworkShape(units: units)
        let expected = Self.headerSize + units.count * 4 + shape.parameterCount * 8
        guard bytes.count == expected else {
            throw refuse("\(bytes.count) bytes where the header promises \(expected)")
        }
        var parameters = [Double]()
        parameters.reserveCapacity(shape.parameterCount)
        for _ in 0..<shape.parameterCount {
            let value = Double(bitPattern: reader.read() as UInt64)
            guard value.isFinite else {
                throw refuse("a weight is \(value)")
            }
            parameters.append(value)
        }
        self.init(shape: shape, activation: activation, parameters: parameters)
    }
}

/// The index of the largest of `count` values, the first on ties.
func argmax(_ values: UnsafePointer<Double>, count: Int) -> Int {
    var best = 0
    for index in 1..<max(count, 1) where values[index] > values[best] {
        best = index
    }
    return best
}
