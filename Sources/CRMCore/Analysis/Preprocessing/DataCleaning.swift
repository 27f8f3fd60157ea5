/// The cleaning step shared by every algorithm: drops unusable rows, turns impossible values into missing ones
/// and reports what it found in a ``CleaningReport``.
///
/// In order:
/// 1. rows whose label is missing (`nil` or empty) are dropped, test rows included, as they can be neither
///    learnt from nor scored;
/// 2. a value that is not finite, or negative in one of ``LabeledTable/nonNegativeFeatures``, becomes missing;
/// 3. a training row equal to an earlier training row (same values, missing in the same places, same label) is
///    dropped. Test rows are never dropped, nor compared: the test set stays as drawn;
/// 4. columns that are entirely missing or constant over the rows kept are reported, not removed, so that the
///    feature list stays the one the user chose (``Preprocessor`` makes them harmless).
///
/// Missing values themselves are left for ``Preprocessor`` to impute from the training rows.
public enum DataCleaning {
    /// Cleans `table`.
    /// - Parameter table: The dataset as built from the registry.
    /// - Returns: The cleaned table, with its split (if any) and constraints, and the report.
    public static func clean(_ table: LabeledTable) -> (table: LabeledTable, report: CleaningReport) {
        let featureCount = table.featureCount
        var missing = [Int](repeating: 0, count: featureCount)
        var impossible = [Int](repeating: 0, count: featureCount)
        var rows: [[Double?]] = []
        var labels: [String?] = []
        var isTest: [Bool] = []
        var seenTrainingRows = Set<TrainingRow>()
        var droppedMissingLabel = 0
        var droppedDuplicates = 0
        rows.reserveCapacity(table.rowCount)

        for (index, row) in table.rows.enumerated() {
            guard let label = table.labels[index], !label.isEmpty else {
                droppedMissingLabel += 1
                continue
            }
            var cleaned = row
            var rowMissing: [Int] = []
            var rowImpossible: [Int] = []
            for column in 0..<featureCount {
                guard let value = row[column] else {
                    rowMissing.append(column)
                    continue
                }
                if !value.isFinite || (value < 0 && table.nonNegativeFeatures.contains(column)) {
                    rowImpossible.append(column)
                    cleaned[column] = nil
                }
            }
            let testRow = table.isTest?[index] ?? false
            if !testRow {
                guard seenTrainingRows.insert(TrainingRow(values: cleaned, label: label)).inserted else {
                    droppedDuplicates += 1
                    continue
                }
            }
            for column in rowMissing { missing[column] += 1 }
            for column in rowImpossible { impossible[column] += 1 }
            rows.append(cleaned)
            labels.append(label)
            isTest.append(testRow)
        }

        var allMissing: [String] = []
        var constant: [String] = []
        for column in 0..<featureCount {
            var first: Double?
            var varies = false
            for row in rows {
                guard let value = row[column] else { continue }
                if let first {
                    if value != first {
                        varies = true
                        break
                    }
                } else {
                    first = value
                }
            }
            if first == nil {
                allMissing.append(table.featureNames[column])
            } else if !varies {
                constant.append(table.featureNames[column])
            }
        }

        // The shapes are those of a valid table, so this cannot throw.
        let cleanedTable = try! LabeledTable(
            featureNames: table.featureNames,
            rows: rows,
            labels: labels,
            isTest: table.isTest == nil ? nil : isTest,
            nonNegativeFeatures: table.nonNegativeFeatures
        )
        let report = CleaningReport(
            rowsIn: table.rowCount,
            rowsOut: rows.count,
            rowsDroppedMissingLabel: droppedMissingLabel,
            duplicateRowsDropped: droppedDuplicates,
            featureNames: table.featureNames,
            missingValues: missing,
            impossibleValues: impossible,
            allMissingFeatures: allMissing,
            constantFeatures: constant
        )
        return (cleanedTable, report)
    }
}

/// The identity of a training row for duplicate detection (`-0.0` and `0.0` are the same value).
private struct TrainingRow: Hashable {
    var values: [Double?]
    var label: String
}
