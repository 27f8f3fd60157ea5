import CRMProto
import Foundation

/// A CSV file of numeric features and a label column, read into the `TabularDataset` that
/// `Train` and `Predict` accept.
///
/// Every column but the label is a feature. Cells are numbers; an empty cell, `NA`, `NaN` or `?`
/// is a missing value (crmd imputes it). The label may be any text; an empty label leaves the row
/// out of training.
enum TabularFile {
    /// Words read as a missing value, compared without case.
    static let missingWords: Set<String> = ["", "na", "nan", "null", "?"]

    /// Reads `path`.
    /// - Parameters:
    ///   - label: the label column; nil for rows to predict (no label column).
    ///   - split: a file of one 0/1 per data row under a header (1 = test row), or nil.
    static func read(_ path: String, label: String?, split: String?) throws -> Crm_V1_TabularDataset {
        let table = try csv(path, flag: "--csv")
        var labelColumn: Int?
        if let label {
            guard let index = table.index(of: label) else {
                throw CommandError(
                    .usage,
                    "\(path): no column \(label.quotedForError) for --label; the columns are "
                        + table.columns.joined(separator: ", ")
                )
            }
            labelColumn = index
        }
        let featureColumns = table.columns.indices.filter { $0 != labelColumn }
        guard !featureColumns.isEmpty else {
            throw CommandError(.usage, "\(path): no feature columns besides the label")
        }
        var dataset = Crm_V1_TabularDataset()
        dataset.source = (path as NSString).lastPathComponent
        dataset.featureNames = featureColumns.map { table.columns[$0] }
        dataset.values.reserveCapacity(table.records.count * featureColumns.count)
        for record in table.records {
            guard record.fields.count == table.columns.count else {
                throw CommandError(
                    .usage,
                    "\(path) line \(record.line): \(record.fields.count) fields, the header has \(table.columns.count)"
                )
            }
            for column in featureColumns {
                let text = record.fields[column]
                if let value = Double(text), value.isFinite {
                    dataset.values.append(value)
                } else if missingWords.contains(text.trimmingSpaces.lowercased()) {
                    dataset.values.append(.nan)
                } else if let value = Double(text.trimmingSpaces), value.isFinite {
                    dataset.values.append(value)
                } else {
                    throw CommandError(
                        .usage,
                        "\(path) line \(record.line), column \(table.columns[column].quotedForError): "
                            + "\(text.quotedForError) is not a number (leave it empty when missing)"
                    )
                }
            }
            if let labelColumn {
                dataset.labels.append(record.fields[labelColumn].trimmingSpaces)
            }
        }
        if let split {
            dataset.isTest = try testRows(split, count: table.records.count)
        }
        return dataset
    }

    /// The 0/1 column of a split file, one per data row.
    static func testRows(_ path: String, count: Int) throws -> [Bool] {
        let table = try csv(path, flag: "--test-rows")
        guard table.columns.count == 1 else {
            throw CommandError(
                .usage,
                "\(path): a split file has one column (e.g. is_test), not \(table.columns.count)"
            )
        }
        guard table.records.count == count else {
            throw CommandError(
                .usage,
                "\(path): \(table.records.count) rows, the data file has \(count): one 0/1 per data row is needed"
            )
        }
        return try table.records.map { record in
            switch record.fields[0].trimmingSpaces {
            case "1", "true": return true
            case "0", "false": return false
            default:
                throw CommandError(
                    .usage,
                    "\(path) line \(record.line): \(record.fields[0].quotedForError) is not 0 or 1"
                )
            }
        }
    }

    /// Writes `dataset` as CSV (features, then `label`) and, when `splitPath` is given, its split.
    static func write(_ dataset: Crm_V1_TabularDataset, to path: String, splitPath: String?) throws {
        var writer = CSVWriter()
        writer.write(dataset.featureNames + ["label"])
        let width = dataset.featureNames.count
        for row in 0..<dataset.labels.count {
            var fields = dataset.values[row * width..<(row + 1) * width].map { $0.isNaN ? "" : Self.text($0) }
            fields.append(dataset.labels[row])
            writer.write(fields)
        }
        try OutputFile.write(writer.text, to: path)
        if let splitPath {
            var split = CSVWriter()
            split.write(["is_test"])
            for isTest in dataset.isTest {
                split.write([isTest ? "1" : "0"])
            }
            try OutputFile.write(split.text, to: splitPath)
        }
    }

    /// The shortest text that reads back as the same double.
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    private static func csv(_ path: String, flag: String) throws -> CSVTable {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CommandError(.usage, "\(flag): cannot read \(path): \(error.localizedDescription)", cause: error)
        }
        do {
            return try CSVTable(bytes: bytes)
        } catch {
            throw CommandError(.usage, "\(path) \(error)", cause: error)
        }
    }
}
