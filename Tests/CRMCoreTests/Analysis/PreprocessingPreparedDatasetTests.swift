import CRMCore
import Testing

@Suite("PreparedDataset")
struct PreprocessingPreparedDatasetTests {
    static func table(isTest: [Bool]? = nil) throws -> LabeledTable {
        var rows: [[Double?]] = []
        var labels: [String?] = []
        for index in 0..<40 {
            rows.append([Double(index), index % 5 == 0 ? nil : Double(index % 3)])
            labels.append(index % 4 == 0 ? "churn" : "stay")
        }
        rows.append([1, 1])
        labels.append(nil)
        return try LabeledTable(featureNames: ["tenure", "orders"], rows: rows, labels: labels, isTest: isTest)
    }

    @Test("cleans, splits, and fits the preprocessor on the training rows only")
    func prepare() throws {
        let dataset = try PreparedDataset.prepare(Self.table(), seed: 3)
        #expect(dataset.report.rowsDroppedMissingLabel == 1)
        #expect(dataset.classes.names == ["churn", "stay"])
        #expect(dataset.test.rows.count == 10)
        #expect(dataset.training.rows.count == 30)
        #expect(dataset.test.labels.filter { $0 == 0 }.count == 3 || dataset.test.labels.filter { $0 == 0 }.count == 2)
        #expect(dataset.training.matrix.count == 60)
        #expect(dataset.test.matrix.count == 20)
        let expected = Preprocessor.fit(rows: dataset.training.rows.map { dataset.cleaned.rows[$0] })
        #expect(dataset.preprocessor == expected)
        #expect(Set(dataset.training.rows).isDisjoint(with: dataset.test.rows))
    }

    @Test("keeps the table's own split")
    func fixedSplit() throws {
        let isTest = (0..<41).map { $0 >= 30 }
        let dataset = try PreparedDataset.prepare(Self.table(isTest: isTest), seed: 3)
        #expect(dataset.training.rows == Array(0..<30))
        #expect(dataset.test.rows == Array(30..<40))
    }

    @Test("cross-validation folds cover the training rows, each with its own preprocessor")
    func folds() throws {
        let dataset = try PreparedDataset.prepare(Self.table(), seed: 3)
        let folds = try dataset.crossValidationFolds(k: 5, seed: 8)
        #expect(folds.count == 5)
        #expect(folds.flatMap(\.test.rows).sorted() == dataset.training.rows.sorted())
        for fold in folds {
            #expect(Set(fold.training.rows).isDisjoint(with: fold.test.rows))
            #expect(fold.training.rows.count + fold.test.rows.count == 30)
            #expect(fold.preprocessor == Preprocessor.fit(rows: fold.training.rows.map { dataset.cleaned.rows[$0] }))
        }
    }

    @Test("refuses a target with a single class")
    func singleClass() throws {
        let table = try LabeledTable(featureNames: ["x"], rows: [[1], [2], [3]], labels: ["a", "a", nil])
        let error = #expect(throws: CRMError.self) { try PreparedDataset.prepare(table, seed: 1) }
        #expect(error?.code == .failedPrecondition)
    }
}
