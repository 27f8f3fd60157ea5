import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// Customer needs analysis end to end: the built crmd with the shipped plugins, driven through
/// crmctl and the generated client.
@Suite("analysis through the daemon")
struct AnalysisServiceTests {
    /// The three algorithms of #5 and the extra flags that keep them quick in a debug build.
    static let algorithms: [(name: String, flags: [String], importances: String)] = [
        ("decision-tree", ["--param", "max_depth=6"], "model"),
        ("svm", ["--param", "kernel=rbf"], "permutation"),
        ("neural-network", ["--param", "hidden_layer_sizes=16", "--param", "max_iter=60"], "permutation"),
    ]

    static func json(_ result: CommandResult) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(result.stdout.prefix(300))")
        }
        return object
    }

    @Test("demo data → train each algorithm → evaluate → predict → report, through crmctl")
    func endToEnd() async throws {
        try await withDaemon { daemon in
            let demo = try await daemon.crmctl(["demo", "--customers", "160", "--seed", "5"])
            try #require(demo.succeeded, "\(demo)")

            let listed = try await daemon.crmctl(["analysis", "algorithms", "-o", "json"])
            try #require(listed.succeeded, "\(listed)")
            let names = try jsonObjects(listed.stdout, key: "algorithms").compactMap { $0["name"] as? String }
            for algorithm in Self.algorithms {
                #expect(names.contains(algorithm.name), "\(names)")
            }

            var modelNames: [String] = []
            for (index, algorithm) in Self.algorithms.enumerated() {
                let trained = try await daemon.crmctl(
                    [
                        "analysis", "train", "--target", "next-category", "--horizon", "90d", "--algorithm",
                        algorithm.name, "--cv-folds", "2", "--random-state", "3", "-o", "json",
                    ] + algorithm.flags,
                    timeout: .seconds(300)
                )
                try #require(trained.succeeded, "\(algorithm.name): \(trained)")
                let model = try Self.json(trained)
                let name = try #require(model["name"] as? String)
                modelNames.append(name)
                #expect(model["version"] as? Int == index + 1, "versions count per target: \(model)")
                #expect(model["target"] as? String == "next-category")
                #expect(model["algorithm"] as? String == algorithm.name)
                let classes = try #require(model["class_names"] as? [String])
                #expect(classes.count >= 2)
                let evaluation = try #require(model["evaluation"] as? [String: Any])
                let accuracy = try #require(evaluation["accuracy"] as? Double)
                #expect((0...1).contains(accuracy))
                #expect(evaluation["baseline_accuracy"] is Double, "the majority baseline is beside the scores")
                #expect(evaluation["cv_folds"] as? Int == 2)
                #expect((evaluation["cv_accuracy"] as? [Double])?.count == 2)
                let data = try #require(model["data"] as? [String: Any])
                let testRows = try #require(data["test_rows"] as? Int)
                let matrix = try #require(evaluation["confusion_matrix"] as? [[String: Any]])
                #expect(matrix.count == classes.count)
                let cells = matrix.flatMap { ($0["counts"] as? [Int]) ?? [] }
                #expect(cells.reduce(0, +) == testRows, "the confusion matrix counts every test row once")
                #expect((evaluation["classes"] as? [[String: Any]])?.count == classes.count)
                #expect(evaluation["importance_method"] as? String == algorithm.importances)
                #expect(!((evaluation["feature_importances"] as? [Any]) ?? []).isEmpty)
                #expect(trained.stderr.contains("training"), "progress goes to stderr: \(trained.stderr)")
            }

            let models = try await daemon.crmctl(["analysis", "models", "-o", "json"])
            try #require(models.succeeded, "\(models)")
            let stored = try jsonObjects(models.stdout, key: "models").compactMap { $0["name"] as? String }
            #expect(stored == modelNames.reversed(), "newest first")

            let table = try await daemon.crmctl(["analysis", "get", modelNames[0], "-o", "table"])
            #expect(table.succeeded && table.stdout.contains("confusion matrix"), "\(table)")

            for name in modelNames {
                let predicted = try await daemon.crmctl(["analysis", "predict", name, "--limit", "0", "-o", "json"])
                try #require(predicted.succeeded, "\(predicted)")
                let response = try Self.json(predicted)
                #expect(response["scored"] as? Int == 160, "every customer is scored")
                let predictions = try #require(response["predictions"] as? [[String: Any]])
                #expect(predictions.count == 160)
                for prediction in predictions.prefix(20) {
                    let probabilities = (prediction["probabilities"] as? [[String: Any]]) ?? []
                    let sum = probabilities.compactMap { $0["probability"] as? Double }.reduce(0, +)
                    #expect(abs(sum - 1) < 1e-6, "\(prediction)")
                    #expect((prediction["confidence"] as? Double ?? 0) > 0)
                }
            }

            let one = try await daemon.crmctl(
                ["analysis", "predict", modelNames[0], "--customer", "customers/3", "-o", "json"]
            )
            try #require(one.succeeded, "\(one)")
            #expect(try Self.json(one)["scored"] as? Int == 1)
            #expect(
                try jsonObjects(one.stdout, key: "predictions").compactMap { $0["customer"] as? String }
                    == ["customers/3"]
            )
            let unknown = try await daemon.crmctl([
                "analysis", "predict", modelNames[0], "--customer", "customers/9999",
            ])
            #expect(unknown.exitCode == 3, "\(unknown)")

            let htmlPath = daemon.root + "/needs.html"
            let report = try await daemon.crmctl(
                [
                    "analysis", "report", "--model", modelNames[0], "--html", htmlPath, "--limit", "10",
                    "--include-none",
                    "-o", "json",
                ]
            )
            try #require(report.succeeded, "\(report)")
            let needs = try Self.json(report)
            #expect(needs["customer_count"] as? Int == 160)
            #expect((needs["customers"] as? [Any])?.count == 10)
            let segments = try #require(needs["segments"] as? [[String: Any]])
            #expect(segments.compactMap { $0["customer_count"] as? Int }.reduce(0, +) == 160)
            let html = try String(contentsOfFile: htmlPath, encoding: .utf8)
            #expect(html.contains("<svg") && html.contains("</html>"))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))

            let text = try await daemon.crmctl(["analysis", "report", "--segment-by", "predicted", "-o", "table"])
            #expect(text.succeeded && text.stdout.contains("SEGMENT"), "\(text)")
        }
    }

    @Test("a CSV file with a fixed split trains, evaluates exactly the marked rows, and predicts rows")
    func csvTraining() async throws {
        try await withDaemon { daemon in
            // Class is 1 exactly when x > 0.5: a tree finds it; rows 0-7 are the test rows.
            var csv = "x,noise,label\n"
            var split = "is_test\n"
            for row in 0..<40 {
                let x = Double((row * 37) % 40) / 40
                csv += "\(x),\(Double(row % 7)),\(x > 0.5 ? "high" : "low")\n"
                split += row < 8 ? "1\n" : "0\n"
            }
            try csv.write(toFile: daemon.root + "/t.csv", atomically: true, encoding: .utf8)
            try split.write(toFile: daemon.root + "/t.split.csv", atomically: true, encoding: .utf8)
            let trained = try await daemon.crmctl([
                "analysis", "train", "--csv", daemon.root + "/t.csv", "--label", "label", "--test-rows",
                daemon.root + "/t.split.csv", "--algorithm", "decision-tree", "--param", "random_state=0",
                "--cv-folds", "1", "-o", "json",
            ])
            try #require(trained.succeeded, "\(trained)")
            let model = try Self.json(trained)
            let data = try #require(model["data"] as? [String: Any])
            #expect(data["test_rows"] as? Int == 8)
            #expect(data["train_rows"] as? Int == 32)
            let evaluation = try #require(model["evaluation"] as? [String: Any])
            #expect(evaluation["accuracy"] as? Double == 1)
            #expect(model["class_names"] as? [String] == ["high", "low"])
            #expect(model["target"] as? String == "table")
            #expect((model["fit_seconds"] as? Double ?? -1) >= 0)

            try "x,noise\n0.9,1\n0.1,2\n".write(toFile: daemon.root + "/p.csv", atomically: true, encoding: .utf8)
            let name = try #require(model["name"] as? String)
            let predicted = try await daemon.crmctl(
                ["analysis", "predict", name, "--csv", daemon.root + "/p.csv", "-o", "json"]
            )
            try #require(predicted.succeeded, "\(predicted)")
            let classes = try jsonObjects(predicted.stdout, key: "predictions").compactMap {
                $0["predicted_class"] as? String
            }
            #expect(classes == ["high", "low"])

            // A split file of the wrong length is refused before anything is sent.
            try "is_test\n1\n0\n".write(toFile: daemon.root + "/bad.split.csv", atomically: true, encoding: .utf8)
            let refused = try await daemon.crmctl([
                "analysis", "train", "--csv", daemon.root + "/t.csv", "--label", "label", "--test-rows",
                daemon.root + "/bad.split.csv", "--algorithm", "svm",
            ])
            #expect(refused.exitCode == 2, "\(refused)")
            #expect(refused.stderr.contains("one 0/1 per data row"), "\(refused)")
            let missing = try await daemon.crmctl([
                "analysis", "train", "--csv", daemon.root + "/t.csv", "--label", "nope", "--algorithm", "svm",
            ])
            #expect(missing.exitCode == 2 && missing.stderr.contains("no column"), "\(missing)")
        }
    }

    @Test("bad requests name the wrong field and store nothing")
    func badRequests() async throws {
        try await withDaemon { daemon in
            let demo = try await daemon.crmctl(["demo", "--customers", "40", "--seed", "2"])
            try #require(demo.succeeded, "\(demo)")
            let client = daemon.connection.analysis
            func train(_ request: Crm_V1_TrainRequest) async throws {
                try await client.train(request) { response in
                    for try await _ in response.messages {}
                }
            }
            var request = Crm_V1_TrainRequest()
            request.registry.target = "next-category"
            request.algorithm = "no-such-algorithm"
            await expectRPCError(.invalidArgument, field: "algorithm") { try await train(request) }

            request.algorithm = "decision-tree"
            request.registry.target = "favourite-colour"
            await expectRPCError(.invalidArgument, field: "target") { try await train(request) }

            request.registry.target = "churn"
            request.registry.horizon = .init(seconds: 60, nanos: 0)
            await expectRPCError(.invalidArgument, field: "registry.horizon") { try await train(request) }

            request.registry.horizon = .init(seconds: 90 * 86_400, nanos: 0)
            request.cvFolds = 99
            request.testFraction = 2
            await expectRPCError(.invalidArgument, field: "cv_folds") { try await train(request) }

            request.cvFolds = 1
            request.testFraction = 0
            request.parameters = ["max_depht": "3"]
            do {
                try await train(request)
                Issue.record("an unknown parameter was accepted")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains("max_depht"), "\(error)")
            }

            var get = Crm_V1_GetModelRequest()
            get.name = "models/abc"
            await expectRPCError(.invalidArgument, field: "name") { _ = try await client.getModel(get) }
            get.name = "models/999"
            await expectRPCError(.notFound) { _ = try await client.getModel(get) }

            let models = try await client.listModels(.init())
            #expect(models.models.isEmpty, "nothing stored after failures")
        }
    }

    @Test("Train streams its progress in order and ends with the stored model; a cancelled job stores nothing")
    func progressAndCancellation() async throws {
        try await withDaemon { daemon in
            let demo = try await daemon.crmctl(["demo", "--customers", "60", "--seed", "9"])
            try #require(demo.succeeded, "\(demo)")
            let client = daemon.connection.analysis
            var request = Crm_V1_TrainRequest()
            request.registry.target = "churn"
            request.algorithm = "decision-tree"
            request.cvFolds = 3
            let messages = try await client.train(request) { response in
                var all: [Crm_V1_TrainProgress] = []
                for try await message in response.messages {
                    all.append(message)
                }
                return all
            }
            let stages = messages.map(\.stage.rawValue)
            #expect(stages == stages.sorted(), "stages never go back: \(stages)")
            #expect(messages.contains { $0.stage == .crossValidating })
            let last = try #require(messages.last)
            #expect(last.stage == .done && last.hasModel && last.model.name.hasPrefix("models/"))
            #expect(Set(messages.map(\.job)).count == 1)
            let fractions = messages.map(\.fraction)
            #expect(fractions == fractions.sorted() && fractions.last == 1, "\(fractions)")

            // A network that would train for hours, cut short by the caller's deadline.
            var slow = Crm_V1_TrainRequest()
            slow.registry.target = "churn"
            slow.algorithm = "neural-network"
            slow.cvFolds = 1
            slow.parameters = ["max_iter": "1000000", "n_iter_no_change": "1000000", "hidden_layer_sizes": "64"]
            var options = CallOptions.defaults
            options.timeout = .seconds(2)
            let started = ContinuousClock.now
            do {
                try await client.train(slow, options: options) { response in
                    for try await _ in response.messages {}
                }
                Issue.record("the slow training finished")
            } catch let error as RPCError {
                #expect([.deadlineExceeded, .cancelled].contains(error.code), "\(error)")
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            // The daemon stays usable, and the cancelled job stored nothing.
            try await Task.sleep(for: .milliseconds(500))
            let models = try await client.listModels(.init())
            #expect(models.models.map(\.algorithm) == ["decision-tree"])
        }
    }

    @Test("export writes the registry dataset and its split; versions count per target")
    func exportDataset() async throws {
        try await withDaemon { daemon in
            let demo = try await daemon.crmctl(["demo", "--customers", "80", "--seed", "4"])
            try #require(demo.succeeded, "\(demo)")
            let exported = try await daemon.crmctl([
                "analysis", "export", "--target", "churn", "--horizon", "60d", "--out", daemon.root + "/d.csv",
                "--split-out", daemon.root + "/d.split.csv",
            ])
            try #require(exported.succeeded, "\(exported)")
            let lines = try String(contentsOfFile: daemon.root + "/d.csv", encoding: .utf8)
                .split(separator: "\n")
            let splitLines = try String(contentsOfFile: daemon.root + "/d.split.csv", encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.first?.hasSuffix(",label") == true)
            #expect(lines.first?.contains("recency_days") == true)
            #expect(splitLines.first == "is_test")
            #expect(lines.count == splitLines.count && lines.count > 10)
            let labels = Set(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).last! })
            #expect(labels.isSubset(of: ["churned", "retained"]), "\(labels)")
            let tests = splitLines.dropFirst().filter { $0 == "1" }.count
            #expect(abs(Double(tests) / Double(splitLines.count - 1) - 0.25) < 0.05)

            // The exported file trains through --csv like any table.
            let trained = try await daemon.crmctl([
                "analysis", "train", "--csv", daemon.root + "/d.csv", "--label", "label", "--test-rows",
                daemon.root + "/d.split.csv", "--algorithm", "decision-tree", "--cv-folds", "1", "-o", "json",
            ])
            try #require(trained.succeeded, "\(trained)")
            let again = try await daemon.crmctl([
                "analysis", "train", "--csv", daemon.root + "/d.csv", "--label", "label", "--test-rows",
                daemon.root + "/d.split.csv", "--algorithm", "decision-tree", "--cv-folds", "1", "-o", "json",
            ])
            #expect(try Self.json(again)["version"] as? Int == 2)
        }
    }
}
