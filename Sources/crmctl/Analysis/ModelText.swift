import CRMProto
import Foundation

/// Models and their evaluations as text for a terminal.
enum ModelText {
    static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    static func number(_ value: Double, digits: Int = 4) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// One row of `crmctl analysis models`.
    static let listHeaders = ["NAME", "TARGET", "VERSION", "ALGORITHM", "ACCURACY", "MACRO-F1", "BASELINE", "CREATED"]

    static func listRow(_ model: Crm_V1_Model) -> [String] {
        [
            model.name, model.target, String(model.version), model.algorithm,
            number(model.evaluation.accuracy), number(model.evaluation.macroF1),
            number(model.evaluation.baselineAccuracy), RFC3339.format(model.createTime),
        ]
    }

    /// The whole model: facts, data, evaluation, per-class scores, confusion matrix, importances.
    static func details(_ model: Crm_V1_Model) -> String {
        let evaluation = model.evaluation
        let data = model.data
        var facts: [(String, String)] = [
            ("name", model.name),
            ("target", "\(model.target) (version \(model.version))"),
            ("algorithm", "\(model.algorithm) (\(model.plugin) \(model.pluginVersion))"),
            ("created", RFC3339.format(model.createTime)),
            ("source", model.source),
        ]
        if model.hasCutoff {
            facts.append(("cut-off", RFC3339.format(model.cutoff)))
            facts.append(("horizon", "\(model.horizon.seconds / 86_400) days"))
        }
        facts += [
            (
                "parameters",
                model.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            ),
            (
                "rows",
                "\(data.rowsIn) in: \(data.trainRows) train, \(data.testRows) test; \(data.missingLabelRows) without "
                    + "label, \(data.duplicateRows) duplicates dropped, \(data.missingValues) missing and "
                    + "\(data.impossibleValues) impossible values imputed"
                    + (data.excludedCustomers > 0 ? ", \(data.excludedCustomers) customers left out" : "")
            ),
            ("features", "\(model.featureNames.count)"),
            ("fit", String(format: "%.3f s", model.fitSeconds)),
            (
                "accuracy",
                "\(number(evaluation.accuracy)) (baseline \(number(evaluation.baselineAccuracy)): always "
                    + "\(evaluation.baselineClass.quotedForError))"
            ),
            ("macro-F1", "\(number(evaluation.macroF1)) (baseline \(number(evaluation.baselineMacroF1)))"),
        ]
        if evaluation.cvFolds > 1 {
            facts.append(
                (
                    "cross-validation",
                    "\(evaluation.cvFolds)-fold accuracy \(number(evaluation.cvAccuracyMean)) ± "
                        + "\(number(evaluation.cvAccuracyStd)), macro-F1 \(number(evaluation.cvMacroF1Mean)) ± "
                        + "\(number(evaluation.cvMacroF1Std))"
                )
            )
        }
        for note in model.notes {
            facts.append(("note", note))
        }
        var text = TextTable.details(facts)
        text += "\n"
        text += TextTable(
            headers: ["CLASS", "PRECISION", "RECALL", "F1", "SUPPORT"],
            rows: evaluation.classes.map {
                [$0.className, number($0.precision), number($0.recall), number($0.f1), String($0.support)]
            }
        ).render()
        text += "\nconfusion matrix (rows: true class, columns: predicted)\n"
        text += TextTable(
            headers: [""] + model.classNames,
            rows: zip(model.classNames, evaluation.confusionMatrix).map { name, row in
                [name] + row.counts.map { String($0) }
            }
        ).render()
        if !evaluation.featureImportances.isEmpty {
            text += "\nfeature importances (\(evaluation.importanceMethod)), top 10\n"
            text += TextTable(
                headers: ["FEATURE", "IMPORTANCE"],
                rows: evaluation.featureImportances.prefix(10).map { [$0.feature, number($0.importance)] }
            ).render()
        }
        return text
    }
}

extension Crm_V1_Driver {
    /// The driver in words as crmd wrote it, or its feature name from a crmd that writes none.
    var text: String { description_p.isEmpty ? feature : description_p }
}
