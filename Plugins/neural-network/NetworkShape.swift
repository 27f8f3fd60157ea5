/// The units of each layer and where each layer's weights and biases sit in the flat parameter vector.
///
/// Layer `l` (1 ≤ l ≤ ``layerCount``) maps `units[l - 1]` inputs to `units[l]` outputs: its weights are a row-major
/// `units[l - 1] × units[l]` matrix (scikit-learn's `coefs_[l - 1]`), followed by its `units[l]` biases.
struct NetworkShape: Equatable {
    /// Input features, the hidden layers, then the classes.
    let units: [Int]
    let weightOffsets: [Int]
    let biasOffsets: [Int]
    let parameterCount: Int

    init(units: [Int]) {
        self.units = units
        var weightOffsets = [0]
        var biasOffsets = [0]
        var offset = 0
        for layer in 1..<units.count {
            weightOffsets.append(offset)
            offset += units[layer - 1] * units[layer]
            biasOffsets.append(offset)
            offset += units[layer]
        }
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
        parameterCount = offset
    }

    /// The number of weight layers: hidden layers + 1.
    var layerCount: Int { units.count - 1 }
    var featureCount: Int { units[0] }
    var classCount: Int { units[units.count - 1] }
    /// The widest layer, for scratch buffers.
    var widestLayer: Int { units.max() ?? 0 }
}
