import Foundation

/// Adam (Kingma and Ba), as scikit-learn's `AdamOptimizer`: the bias corrections folded into the step size.
struct AdamOptimizer {
    private var firstMoments: [Double]
    private var secondMoments: [Double]
    private var steps = 0
    private let learningRate: Double
    private let beta1: Double
    private let beta2: Double
    private let epsilon: Double

    init(parameterCount: Int, settings: NetworkSettings) {
        firstMoments = [Double](repeating: 0, count: parameterCount)
        secondMoments = [Double](repeating: 0, count: parameterCount)
        learningRate = settings.learningRate
        beta1 = settings.beta1
        beta2 = settings.beta2
        epsilon = settings.epsilon
    }

    /// One step against `gradients`.
    mutating func update(_ parameters: inout [Double], gradients: [Double]) {
        steps += 1
        let step =
            learningRate * (1 - pow(beta2, Double(steps))).squareRoot() / (1 - pow(beta1, Double(steps)))
        let beta1 = beta1
        let beta2 = beta2
        let epsilon = epsilon
        parameters.withUnsafeMutableBufferPointer { parameters in
            gradients.withUnsafeBufferPointer { gradients in
                firstMoments.withUnsafeMutableBufferPointer { first in
                    secondMoments.withUnsafeMutableBufferPointer { second in
                        // Four lanes at a time: the same operations in the same order, element by element (the
                        // compiler leaves the scalar loop, with its square root and division, unvectorised).
                        let count = parameters.count
                        let p = UnsafeMutableRawPointer(parameters.baseAddress!)
                        let g = UnsafeRawPointer(gradients.baseAddress!)
                        let f = UnsafeMutableRawPointer(first.baseAddress!)
                        let s = UnsafeMutableRawPointer(second.baseAddress!)
                        var index = 0
                        while index + 4 <= count {
                            let offset = index * MemoryLayout<Double>.stride
                            let gradient = g.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                            let m =
                                beta1 * f.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                + (1 - beta1) * gradient
                            let v =
                                beta2 * s.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                                + (1 - beta2) * gradient * gradient
                            f.storeBytes(of: m, toByteOffset: offset, as: SIMD4<Double>.self)
                            s.storeBytes(of: v, toByteOffset: offset, as: SIMD4<Double>.self)
                            let parameter = p.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                            p.storeBytes(
                                of: parameter - step * m / (v.squareRoot() + epsilon),
                                toByteOffset: offset,
                                as: SIMD4<Double>.self
                            )
                            index += 4
                        }
                        for index in index..<count {
                            let gradient = gradients[index]
                            let m = beta1 * first[index] + (1 - beta1) * gradient
                            let v = beta2 * second[index] + (1 - beta2) * gradient * gradient
                            first[index] = m
                            second[index] = v
                            parameters[index] -= step * m / (v.squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }
}
