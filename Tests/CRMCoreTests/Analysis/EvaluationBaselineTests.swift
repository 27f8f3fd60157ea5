import CRMCore
import Testing

@Suite("MajorityBaseline and CrossValidationSummary")
struct EvaluationBaselineTests {
    @Test("predicts the most frequent training class, the lowest index on a tie")
    func majority() throws {
        let baseline = try MajorityBaseline.evaluate(
            trainingLabels: [1, 2, 2, 1, 0, 2],
            testLabels: [2, 2, 1, 0],
            classNames: ["a", "b", "c"]
        )
        #expect(baseline.predictedClass == 2)
        #expect(baseline.predictedClassName == "c")
        #expect(baseline.accuracy == 0.5)
        // Only class c is present in the predictions; a and b are in the truth: F1 of c is 2·2/(2·2+2) = 2/3.
        #expect(abs(baseline.macroF1 - (2.0 / 3.0) / 3) < 1e-12)

        // scikit-learn 1.9.1: DummyClassifier(strategy="most_frequent").fit(X, [1, 2, 2, 1, 0]) predicts 1.
        let tie = try MajorityBaseline.evaluate(
            trainingLabels: [1, 2, 2, 1, 0],
            testLabels: [1],
            classNames: ["a", "b", "c"]
        )
        #expect(tie.predictedClass == 1)
        #expect(tie.accuracy == 1)
    }

    @Test("refuses an empty training set")
    func empty() {
        #expect(throws: CRMError.self) {
            try MajorityBaseline.evaluate(trainingLabels: [], testLabels: [0], classNames: ["a"])
        }
    }

    @Test("summarises folds with mean and population standard deviation")
    func summary() throws {
        let folds = try [
            ClassificationMetrics.evaluate(truth: [0, 1], predicted: [0, 1], classNames: ["a", "b"]),
            ClassificationMetrics.evaluate(truth: [0, 1], predicted: [0, 0], classNames: ["a", "b"]),
        ]
        let summary = CrossValidationSummary(folds: folds, requestedK: 5)
        #expect(summary.k == 2)
        #expect(summary.requestedK == 5)
        #expect(summary.foldAccuracy == [1, 0.5])
        #expect(summary.meanAccuracy == 0.75)
        #expect(summary.stdAccuracy == 0.25)
        // Fold 2: F1 of a = 2/3, of b = 0 → macro 1/3. numpy.std([1, 1/3]) = 1/3.
        #expect(abs(summary.meanMacroF1 - 2.0 / 3.0) < 1e-12)
        #expect(abs(summary.stdMacroF1 - 1.0 / 3.0) < 1e-12)
    }
}
