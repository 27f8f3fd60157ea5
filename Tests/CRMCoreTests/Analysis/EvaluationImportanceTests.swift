import CRMCore
import Testing

@Suite("PermutationImportance")
struct EvaluationImportanceTests {
    /// 40 rows of 3 features; the class is whether feature 1 is positive. Features 0 and 2 are noise.
    static let rowCount = 40
    static let matrix: [Double] = {
        var values: [Double] = []
        for row in 0..<rowCount {
            let sign: Double = row % 2 == 0 ? 1 : -1
            values += [Double(row % 7), sign, Double((row * 13) % 11)]
        }
        return values
    }()
    static let truth: [Int] = (0..<rowCount).map { $0 % 2 == 0 ? 1 : 0 }

    /// The perfect model: looks only at feature 1.
    static func model(_ input: [Double]) -> [Int] {
        stride(from: 0, to: input.count, by: 3).map { input[$0 + 1] > 0 ? 1 : 0 }
    }

    @Test("only the feature the model uses matters, and importances sum to 1")
    func usedFeature() throws {
        var calls = 0
        let importances = try PermutationImportance.compute(
            matrix: Self.matrix,
            featureCount: 3,
            truth: Self.truth,
            repeats: 4,
            seed: 11
        ) { input in
            calls += 1
            #expect(input.count == Self.matrix.count)
            return Self.model(input)
        }
        #expect(calls == 1 + 3 * 4)
        #expect(importances == [0, 1, 0])
    }

    @Test("deterministic for a seed; negative drops clamp to 0 and all-zero stays zero")
    func clampAndSeed() throws {
        let constant: ([Double]) -> [Int] = { input in [Int](repeating: 0, count: input.count / 3) }
        #expect(
            try PermutationImportance.compute(
                matrix: Self.matrix,
                featureCount: 3,
                truth: Self.truth,
                seed: 1,
                predict: constant
            )
                == [0, 0, 0]
        )
        // A model that is right only when feature 1 is shuffled: every drop is negative.
        let inverted: ([Double]) -> [Int] = { input in Self.model(input).map { 1 - $0 } }
        #expect(
            try PermutationImportance.compute(
                matrix: Self.matrix,
                featureCount: 3,
                truth: Self.truth,
                seed: 1,
                predict: inverted
            )
                == [0, 0, 0]
        )
        let noisy: ([Double]) -> [Int] = { input in
            stride(from: 0, to: input.count, by: 3).map { input[$0] + input[$0 + 1] * 3 > 2 ? 1 : 0 }
        }
        let first = try PermutationImportance.compute(
            matrix: Self.matrix,
            featureCount: 3,
            truth: Self.truth,
            seed: 5,
            predict: noisy
        )
        let again = try PermutationImportance.compute(
            matrix: Self.matrix,
            featureCount: 3,
            truth: Self.truth,
            seed: 5,
            predict: noisy
        )
        #expect(first == again)
        #expect(abs(first.reduce(0, +) - 1) < 1e-12)
        #expect(first[1] > first[0])
        #expect(first[2] == 0)
    }

    @Test("an asynchronous model gets the same importances for the same seed")
    func asynchronous() async throws {
        let noisy: @Sendable ([Double]) -> [Int] = { input in
            stride(from: 0, to: input.count, by: 3).map { input[$0] + input[$0 + 1] * 3 > 2 ? 1 : 0 }
        }
        let synchronous = try PermutationImportance.compute(
            matrix: Self.matrix,
            featureCount: 3,
            truth: Self.truth,
            seed: 5,
            predict: noisy
        )
        var calls = 0
        let asynchronous = try await PermutationImportance.compute(
            matrix: Self.matrix,
            featureCount: 3,
            truth: Self.truth,
            seed: 5
        ) { input async throws -> [Int] in
            calls += 1
            await Task.yield()
            return noisy(input)
        }
        #expect(asynchronous == synchronous)
        #expect(calls == 1 + 3 * 5)
    }

    @Test("refuses a model answering the wrong number of rows, and a matrix of the wrong size")
    func invalid() {
        #expect(throws: CRMError.self) {
            try PermutationImportance.compute(matrix: Self.matrix, featureCount: 3, truth: Self.truth, seed: 1) { _ in
                [0]
            }
        }
        #expect(throws: CRMError.self) {
            try PermutationImportance.compute(matrix: [1, 2, 3], featureCount: 2, truth: [0], seed: 1) { _ in [0] }
        }
    }
}
