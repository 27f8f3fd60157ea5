import CRMCore
import Foundation
import Testing

@Suite("ClassificationMetrics")
struct EvaluationMetricsTests {
    static func close(_ actual: Double, _ expected: Double) -> Bool { abs(actual - expected) < 1e-12 }

    @Test("matches scikit-learn's classification_report and confusion_matrix")
    func scikitLearnReport() throws {
        let truth = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
        let predicted = [0, 0, 0, 1, 2, 1, 1, 0, 2, 2, 1, 1]
        let metrics = try ClassificationMetrics.evaluate(
            truth: truth,
            predicted: predicted,
            classNames: ["low", "mid", "high"]
        )
        // scikit-learn 1.9.1: classification_report(truth, predicted, digits=17), precision_score /
        // recall_score / f1_score(average="macro"), f1_score(average="weighted"), confusion_matrix().tolist().
        #expect(metrics.confusion == [[3, 1, 1], [1, 2, 0], [0, 2, 2]])
        #expect(metrics.count == 12)
        #expect(Self.close(metrics.accuracy, 0.5833333333333334))
        #expect(Self.close(metrics.macroPrecision, 0.6055555555555555))
        #expect(Self.close(metrics.macroRecall, 0.5888888888888889))
        #expect(Self.close(metrics.macroF1, 0.5793650793650793))
        #expect(Self.close(metrics.weightedF1, 0.5932539682539683))
        let expected: [(String, Double, Double, Double, Int)] = [
            ("low", 0.75, 0.59999999999999998, 0.66666666666666663, 5),
            ("mid", 0.40000000000000002, 0.66666666666666663, 0.5, 3),
            ("high", 0.66666666666666663, 0.5, 0.5714285714285714, 4),
        ]
        #expect(metrics.perClass.count == 3)
        for (score, (name, precision, recall, f1, support)) in zip(metrics.perClass, expected) {
            #expect(score.name == name)
            #expect(Self.close(score.precision, precision))
            #expect(Self.close(score.recall, recall))
            #expect(Self.close(score.f1, f1))
            #expect(score.support == support)
        }
    }

    @Test("0/0 scores 0, and macro averages skip classes absent from truth and predictions")
    func zeroDivision() throws {
        // Class 2 is never predicted, class 3 never true, class 4 absent from both.
        let metrics = try ClassificationMetrics.evaluate(
            truth: [0, 0, 1, 2],
            predicted: [0, 3, 1, 1],
            classNames: ["a", "b", "c", "d", "e"]
        )
        #expect(metrics.perClass[2] == ClassScore(name: "c", precision: 0, recall: 0, f1: 0, support: 1))
        #expect(metrics.perClass[3] == ClassScore(name: "d", precision: 0, recall: 0, f1: 0, support: 0))
        #expect(metrics.perClass[4] == ClassScore(name: "e", precision: 0, recall: 0, f1: 0, support: 0))
        // scikit-learn 1.9.1, zero_division=0 (the default's value): macro precision, recall, F1 over the four
        // classes present 0.375, 0.375, 0.3333333333333333; weighted F1 0.5. With labels=["a".."e"] the macro F1
        // would be 0.26666666666666666 instead.
        #expect(Self.close(metrics.macroPrecision, 0.375))
        #expect(Self.close(metrics.macroRecall, 0.375))
        #expect(Self.close(metrics.macroF1, 1.0 / 3.0))
        #expect(Self.close(metrics.weightedF1, 0.5))
        #expect(metrics.accuracy == 0.5)
    }

    @Test("no rows scores 0 without dividing by zero")
    func empty() throws {
        let metrics = try ClassificationMetrics.evaluate(truth: [], predicted: [], classNames: ["a", "b"])
        #expect(metrics.accuracy == 0)
        #expect(metrics.macroF1 == 0)
        #expect(metrics.weightedF1 == 0)
        #expect(metrics.confusion == [[0, 0], [0, 0]])
    }

    @Test("refuses mismatched lengths and unknown class indexes")
    func invalid() {
        #expect(throws: CRMError.self) {
            try ClassificationMetrics.evaluate(truth: [0, 1], predicted: [0], classNames: ["a", "b"])
        }
        #expect(throws: CRMError.self) {
            try ClassificationMetrics.evaluate(truth: [0, 1], predicted: [0, 2], classNames: ["a", "b"])
        }
        #expect(throws: CRMError.self) {
            try ClassificationMetrics.evaluate(truth: [-1, 1], predicted: [0, 1], classNames: ["a", "b"])
        }
    }

    @Test("round-trips through JSON")
    func json() throws {
        let metrics = try ClassificationMetrics.evaluate(
            truth: [0, 1, 1],
            predicted: [0, 1, 0],
            classNames: ["a", "b"]
        )
        let data = try JSONEncoder().encode(metrics)
        #expect(try JSONDecoder().decode(ClassificationMetrics.self, from: data) == metrics)
    }
}
