/// The matrix products of a pass, on row-major buffers.
///
/// Every output element sums its products in one fixed order, whatever the blocking: four at a time,
/// `out += ((a₀·w₀ + a₁·w₁) + a₂·w₂) + a₃·w₃`, then the leftover ones singly, skipping zero coefficients. The
/// kernels differ only in how many elements they keep in registers at once, so their results are bit for bit
/// the same.
enum MatrixKernels {
    /// `output[rows × units] = input[rows × inputs] · weights[inputs × units] + biases`.
    ///
    /// Two rows by eight units at a time, held in registers across the whole sum: each weight row loaded serves
    /// two rows, and the outputs are loaded and stored once instead of once per four inputs (the plain
    /// row-by-row loop is bound by those loads and stores; this one by the arithmetic).
    static func affine(
        _ input: UnsafePointer<Double>,
        rows: Int,
        inputs: Int,
        weights: UnsafePointer<Double>,
        biases: UnsafePointer<Double>,
        units: Int,
        into output: UnsafeMutablePointer<Double>
    ) {
        let groupedInputs = inputs & ~3
        var row = 0
        while row + 2 <= rows {
            let x0 = input + row * inputs
            let x1 = x0 + inputs
            let out0 = output + row * units
            let out1 = out0 + units
            var unit = 0
            while unit + 8 <= units {
                var low0 = load(biases + unit)
                var high0 = load(biases + unit + 4)
                var low1 = low0
                var high1 = high0
                var k = 0
                while k < groupedInputs {
                    let a0 = x0[k]
                    let b0 = x0[k + 1]
                    let c0 = x0[k + 2]
                    let d0 = x0[k + 3]
                    let a1 = x1[k]
                    let b1 = x1[k + 1]
                    let c1 = x1[k + 2]
                    let d1 = x1[k + 3]
                    let w = weights + k * units + unit
                    let w0 = load(w)
                    let w1 = load(w + units)
                    let w2 = load(w + 2 * units)
                    let w3 = load(w + 3 * units)
                    low0 += ((a0 * w0 + b0 * w1) + c0 * w2) + d0 * w3
                    low1 += ((a1 * w0 + b1 * w1) + c1 * w2) + d1 * w3
                    let v0 = load(w + 4)
                    let v1 = load(w + units + 4)
                    let v2 = load(w + 2 * units + 4)
                    let v3 = load(w + 3 * units + 4)
                    high0 += ((a0 * v0 + b0 * v1) + c0 * v2) + d0 * v3
                    high1 += ((a1 * v0 + b1 * v1) + c1 * v2) + d1 * v3
                    k += 4
                }
                while k < inputs {
                    let w = weights + k * units + unit
                    let a0 = x0[k]
                    if a0 != 0 {
                        low0 += a0 * load(w)
                        high0 += a0 * load(w + 4)
                    }
                    let a1 = x1[k]
                    if a1 != 0 {
                        low1 += a1 * load(w)
                        high1 += a1 * load(w + 4)
                    }
                    k += 1
                }
                store(low0, out0 + unit)
                store(high0, out0 + unit + 4)
                store(low1, out1 + unit)
                store(high1, out1 + unit + 4)
                unit += 8
            }
            if unit < units {
                // The last `units % 8` units, a row at a time.
                let width = units - unit
                (out0 + unit).update(from: biases + unit, count: width)
                accumulate(x0, count: inputs, rowsOf: weights + unit, stride: units, width: width, into: out0 + unit)
                (out1 + unit).update(from: biases + unit, count: width)
                accumulate(x1, count: inputs, rowsOf: weights + unit, stride: units, width: width, into: out1 + unit)
            }
            row += 2
        }
        if row < rows {
            let out = output + row * units
            out.update(from: biases, count: units)
            accumulate(input + row * inputs, count: inputs, rowsOf: weights, width: units, into: out)
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD4<Double>, _ pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD4<Double>.self)
    }

    /// `out[width] += Σ_k coefficients[k] · matrix[k, ·]`, skipping zero coefficients one at a time at the end;
    /// the rows of `matrix` lie `stride` apart (by default `width`).
    @inline(__always)
    static func accumulate(
        _ coefficients: UnsafePointer<Double>,
        count: Int,
        rowsOf matrix: UnsafePointer<Double>,
        stride: Int? = nil,
        width: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        let stride = stride ?? width
        var k = 0
        while k + 4 <= count {
            let a0 = coefficients[k]
            let a1 = coefficients[k + 1]
            let a2 = coefficients[k + 2]
            let a3 = coefficients[k + 3]
            let w0 = matrix + k * stride
            let w1 = w0 + stride
            let w2 = w1 + stride
            let w3 = w2 + stride
            for unit in 0..<width {
                out[unit] += a0 * w0[unit] + a1 * w1[unit] + a2 * w2[unit] + a3 * w3[unit]
            }
            k += 4
        }
        while k < count {
            let a = coefficients[k]
            if a != 0 {
                let w = matrix + k * stride
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
