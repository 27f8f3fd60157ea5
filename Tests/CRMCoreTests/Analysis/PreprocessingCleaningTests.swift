import CRMCore
import Testing

@Suite("DataCleaning")
struct PreprocessingCleaningTests {
    @Test("drops rows without a label, test rows included")
    func missingLabels() throws {
        let table = try LabeledTable(
            featureNames: ["x"],
            rows: [[1], [2], [3], [4]],
            labels: ["a", nil, "", "b"],
            isTest: [false, false, true, true]
        )
        let (cleaned, report) = DataCleaning.clean(table)
        #expect(report.rowsIn == 4)
        #expect(report.rowsOut == 2)
        #expect(report.rowsDroppedMissingLabel == 2)
        #expect(cleaned.rows == [[1], [4]])
        #expect(cleaned.labels == ["a", "b"])
        #expect(cleaned.isTest == [false, true])
    }

    @Test("drops duplicate training rows, never test rows")
    func duplicates() throws {
        let table = try LabeledTable(
            featureNames: ["x", "y"],
            rows: [[1, nil], [1, nil], [1, nil], [1, nil], [1, nil], [1, 2], [-0.0, 3], [0, 3]],
            labels: ["a", "a", "b", "a", "a", "a", "c", "c"],
            isTest: [false, false, false, true, true, false, false, false]
        )
        let (cleaned, report) = DataCleaning.clean(table)
        // Row 1 repeats row 0 (missing in the same place, same label); row 7 repeats row 6 (0 == -0).
        // Row 2 differs by label, row 5 by value; rows 3 and 4 are test rows and stay.
        #expect(report.duplicateRowsDropped == 2)
        #expect(report.rowsOut == 6)
        #expect(cleaned.labels == ["a", "b", "a", "a", "a", "c"])
        #expect(cleaned.isTest == [false, false, true, true, false, false])
        #expect(report.missingValues == [0, 4])
    }

    @Test("without a fixed split every row is a training row for duplicates")
    func duplicatesWithoutSplit() throws {
        let table = try LabeledTable(featureNames: ["x"], rows: [[1], [1], [2]], labels: ["a", "a", "a"])
        let (cleaned, report) = DataCleaning.clean(table)
        #expect(report.duplicateRowsDropped == 1)
        #expect(cleaned.rows == [[1], [2]])
        #expect(cleaned.isTest == nil)
    }

    @Test("impossible values become missing and are counted per feature")
    func impossibleValues() throws {
        let table = try LabeledTable(
            featureNames: ["orders", "trend", "revenue"],
            rows: [
                [-1, -5, .infinity],
                [2, .nan, 10],
                [nil, 1, -0.5],
                [3, -.infinity, 0],
            ],
            labels: ["a", "b", "a", "b"],
            nonNegativeFeatures: [0, 2]
        )
        let (cleaned, report) = DataCleaning.clean(table)
        #expect(report.impossibleValues == [1, 2, 2])
        #expect(report.missingValues == [1, 0, 0])
        #expect(cleaned.rows[0] == [nil, -5, nil])
        #expect(cleaned.rows[1] == [2, nil, 10])
        #expect(cleaned.rows[2] == [nil, 1, nil])
        #expect(cleaned.rows[3] == [3, nil, 0])
    }

    @Test("reports entirely missing and constant columns")
    func degenerateColumns() throws {
        let table = try LabeledTable(
            featureNames: ["empty", "constant", "useful", "broken"],
            rows: [[nil, 7, 1, .nan], [nil, nil, 2, .infinity], [nil, 7, 3, nil]],
            labels: ["a", "b", "c"]
        )
        let report = DataCleaning.clean(table).report
        #expect(report.allMissingFeatures == ["empty", "broken"])
        #expect(report.constantFeatures == ["constant"])
        #expect(report.featureNames == ["empty", "constant", "useful", "broken"])
    }

    @Test("refuses tables whose shapes disagree")
    func shapes() {
        #expect(throws: CRMError.self) { try LabeledTable(featureNames: ["x"], rows: [[1, 2]], labels: ["a"]) }
        #expect(throws: CRMError.self) { try LabeledTable(featureNames: ["x"], rows: [[1]], labels: []) }
        #expect(throws: CRMError.self) {
            try LabeledTable(featureNames: ["x"], rows: [[1]], labels: ["a"], isTest: [true, false])
        }
        #expect(throws: CRMError.self) {
            try LabeledTable(featureNames: ["x"], rows: [[1]], labels: ["a"], nonNegativeFeatures: [1])
        }
    }
}
