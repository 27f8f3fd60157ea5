import CRMCore
import CRMProto
import Foundation
import SwiftProtobuf

extension Crm_V1_Model {
    /// The stored summary with the row's name, version and time.
    init(_ stored: StoredModel) throws {
        do {
            try self.init(serializedBytes: stored.summary)
        } catch {
            throw CRMError(.internalError, "the summary of \(stored.resourceName) is unreadable")
        }
        name = stored.resourceName
        version = Int32(stored.version)
        createTime = Google_Protobuf_Timestamp(microsecondDate: stored.createTime)
    }
}

extension Crm_V1_DataSummary {
    init(_ report: CleaningReport, trainRows: Int, testRows: Int, excludedCustomers: Int) {
        self.init()
        rowsIn = Int32(report.rowsIn)
        self.trainRows = Int32(trainRows)
        self.testRows = Int32(testRows)
        missingLabelRows = Int32(report.rowsDroppedMissingLabel)
        duplicateRows = Int32(report.duplicateRowsDropped)
        missingValues = Int64(report.missingValues.reduce(0, +))
        impossibleValues = Int64(report.impossibleValues.reduce(0, +))
        self.excludedCustomers = Int32(excludedCustomers)
        for (index, name) in report.featureNames.enumerated() {
            var parts: [String] = []
            if report.missingValues[index] > 0 {
                parts.append("\(report.missingValues[index]) missing")
            }
            if report.impossibleValues[index] > 0 {
                parts.append("\(report.impossibleValues[index]) impossible")
            }
            if !parts.isEmpty {
                remarks.append("\(name): \(parts.joined(separator: ", ")) (imputed with the training median)")
            }
        }
        for name in report.allMissingFeatures {
            remarks.append("\(name): every value missing (set to 0)")
        }
    }
}

extension Crm_V1_Evaluation {
    init(
        metrics: ClassificationMetrics,
        baseline: MajorityBaseline,
        crossValidation: CrossValidationSummary?,
        importances: [Double],
        featureNames: [String],
        method: String
    ) {
        self.init()
        accuracy = metrics.accuracy
        macroPrecision = metrics.macroPrecision
        macroRecall = metrics.macroRecall
        macroF1 = metrics.macroF1
        weightedF1 = metrics.weightedF1
        classes = metrics.perClass.map { score in
            var out = Crm_V1_ClassScore()
            out.className = score.name
            out.precision = score.precision
            out.recall = score.recall
            out.f1 = score.f1
            out.support = Int32(score.support)
            return out
        }
        confusionMatrix = metrics.confusion.map { row in
            var out = Crm_V1_ConfusionRow()
            out.counts = row.map { Int32($0) }
            return out
        }
        baselineClass = baseline.predictedClassName
        baselineAccuracy = baseline.accuracy
        baselineMacroF1 = baseline.macroF1
        if let crossValidation {
            cvFolds = Int32(crossValidation.k)
            cvAccuracy = crossValidation.foldAccuracy
            cvAccuracyMean = crossValidation.meanAccuracy
            cvAccuracyStd = crossValidation.stdAccuracy
            cvMacroF1 = crossValidation.foldMacroF1
            cvMacroF1Mean = crossValidation.meanMacroF1
            cvMacroF1Std = crossValidation.stdMacroF1
        }
        if importances.contains(where: { $0 > 0 }) {
            featureImportances = zip(featureNames, importances)
                .filter { $0.1 > 0 }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                .map { name, value in
                    var out = Crm_V1_FeatureImportance()
                    out.feature = name
                    out.importance = value
                    return out
                }
            importanceMethod = method
        }
    }
}
