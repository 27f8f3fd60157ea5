/// The matrix products of a pass, on row-major buffers.
///
/// Each loop runs along contiguous rows (so it vectorises) and folds four rows of the right-hand matrix into one
/// pass over the row it updates, so that the updated row is loaded and stored a quarter as often.
enum MatrixKernels {
    /// `output[rows × units] = input[rows × inputs] · weights[inputs × units] + biases`.
    static func affine(
        _ input: UnsafePointer<Double>,
        rows: Int,
        inputs: Int,
        weights: UnsafePointer<Double>,
        biases: UnsafePointer<Double>,
        units: Int,
        into output: UnsafeMutablePointer<Double>
    ) {
        for row in 0..<rows {
            let out = output + row * units
            out.update(from: biases, count: units)
            accumulate(input + row * inputs, count: inputs, rowsOf: weights, width: units, into: out)
        }
    }

    /// `out[width] += Σ_k coefficients[k] · matrix[k, ·]`, skipping zero coefficients one at a time at the end.
    @inline(__always)
    static func accumulate(
        _ coefficients: UnsafePointer<Double>,
        count: Int,
        rowsOf matrix: UnsafePointer<Double>,
        width: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        var k = 0
        while k + 4 <= count {
            let a0 = coefficients[k]
            let a1 = coefficients[k + 1]
            let a2 = coefficients[k + 2]
            let a3 = coefficients[k + 3]
            let w0 = matrix + k * width
            let w1 = w0 + width
            let w2 = w1 + width
            let w3 = w2 + width
            for unit in 0..<width {
                out[unit] += a0 * w0[unit] + a1 * w1[unit] + a2 * w2[unit] + a3 * w3[unit]
            }
            k += 4
        }
        while k < count {
            let a = coefficients[k]
            if a != 0 {
                let w = matrix + k * width
                for unit in 0..<width {
                    out[unit] += a * w[unit]
                }
            }
            k += 1
        }
    }

    /// `gradients[inputs × units] += input[rows × inputs]ᵀ · deltas[rows × units]`, four rows at a time.
    static func accumulateTransposedProduct(
        _ input: UnsafePointer<Double>,
        rows: Int,
        inputs: Int,
        _ deltas: UnsafePointer<Double>,
        units: Int,
        into gradients: UnsafeMutablePointer<Double>
    ) {
        var row = 0
        while row + 4 <= rows {
            let x0 = input + row * inputs
            let x1 = x0 + inputs
            let x2 = x1 + inputs
            let x3 = x2 + inputs
            let d0 = deltas + row * units
            let d1 = d0 + units
            let d2 = d1 + units
            let d3 = d2 + units
            for k in 0..<inputs {
                let a0 = x0[k]
                let a1 = x1[k]
                let a2 = x2[k]
                let a3 = x3[k]
                if a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0 {
                    continue
                }
                let g = gradients + k * units
                for unit in 0..<units {
                    g[unit] += a0 * d0[unit] + a1 * d1[unit] + a2 * d2[unit] + a3 * d3[unit]
                }
            }
            row += 4
        }
        while row < rows {
            let x = input + row * inputs
            let d = deltas + row * units
            for k in 0..<inputs {
                let a = x[k]
                if a == 0 {
                    continue
                }
                let g = gradients + k * units
                for unit in 0..<units {
                    g[unit] += a * d[unit]
                }
            }
            row += 1
        }
    }
}
