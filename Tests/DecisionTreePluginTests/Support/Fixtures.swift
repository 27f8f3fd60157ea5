import CRMPluginKit
import Foundation
import PluginTestSupport

/// The decision-tree plugin, loaded once per test and initialised.
func loadDecisionTree() throws -> LoadedPlugin {
    let plugin = try LoadedPlugin(product: "crmplugin-decision-tree")
    try plugin.initialize()
    return plugin
}

/// A dataset from rows; class names `c0`, `c1`, …
func dataset(_ rows: [[Double]], labels: [Int32] = [], classes: Int = 2) -> Dataset {
    let width = rows.first?.count ?? 0
    return Dataset(
        featureNames: (0..<width).map { "x\($0)" },
        rows: rows,
        labels: labels,
        classNames: (0..<classes).map { "c\($0)" }
    )
}

/// A one-feature dataset.
func line(_ values: [Double], labels: [Int32], classes: Int = 2) -> Dataset {
    dataset(values.map { [$0] }, labels: labels, classes: classes)
}

func trainRequest(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) -> TrainRequest {
    var request = TrainRequest()
    request.algorithm = "decision-tree"
    request.dataset = data
    request.parameters = parameters
    if let seed {
        request.randomState = seed
    }
    return request
}

extension LoadedPlugin {
    func train(_ data: Dataset, _ parameters: [String: String] = [:], seed: Int64? = 0) throws -> TrainResponse {
        try call("train", trainRequest(data, parameters, seed: seed)).decoded(as: TrainResponse.self)
    }

    func predict(_ model: Data, _ data: Dataset) throws -> PredictResponse {
        var request = PredictRequest()
        request.model = model
        request.dataset = data
        return try call("predict", request).decoded(as: PredictResponse.self)
    }
}

/// A test-side reader of the model format (version 1), independent of the plugin's own code.
struct DecodedTree {
    struct Node {
        var feature: Int
        var threshold: Double
        var left: Int
        var right: Int
    }

    var featureCount: Int
    var classCount: Int
    var nodes: [Node]

    init(_ model: Data) throws {
        let bytes = [UInt8](model)
        func u32(_ offset: Int) -> UInt32 {
            (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
        }
        func u64(_ offset: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
        }
        guard bytes.count >= 20, Array(bytes[0..<4]) == Array("CRDT".utf8), bytes[4] == 1, bytes[5] == 0 else {
            throw LoadError(message: "not a version-1 decision-tree model")
        }
        featureCount = Int(u32(8))
        classCount = Int(u32(12))
        let count = Int(u32(16))
        nodes = (0..<count).map { index in
            let base = 20 + index * 24
            return Node(
                feature: Int(Int32(bitPattern: u32(base))),
                threshold: Double(bitPattern: u64(base + 8)),
                left: Int(u32(base + 16)),
                right: Int(u32(base + 4))
            )
        }
    }

    var root: Node { nodes[0] }
    var leafCount: Int { nodes.count { $0.feature < 0 } }

    /// The nodes in depth-first pre-order, left first: scikit-learn's node numbering.
    var preorder: [Node] {
        var order: [Node] = []
        var stack = [0]
        while let index = stack.popLast() {
            let node = nodes[index]
            order.append(node)
            if node.feature >= 0 {
                stack.append(node.right)
                stack.append(node.left)
            }
        }
        return order
    }

    func leaf(of row: [Double]) -> Int {
        var node = 0
        while nodes[node].feature >= 0 {
            node = row[nodes[node].feature] <= nodes[node].threshold ? nodes[node].left : nodes[node].right
        }
        return node
    }
}

/// A yardstick dataset: `<name>.csv` (features, then an integer `label`) and `<name>.split.csv` (`is_test`).
struct Yardstick {
    var train: Dataset
    var test: Dataset

    /// `../shared/yardsticks/data` beside the repository.
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // DecisionTreePluginTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .deletingLastPathComponent()
        .appendingPathComponent("shared/yardsticks/data")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("iris.csv").path)
    }

    init(_ name: String) throws {
        let lines = try String(contentsOf: Self.folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline)
        let split = try String(contentsOf: Self.folder.appendingPathComponent("\(name).split.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0 == "1" }
        let header = lines[0].split(separator: ",").map(String.init)
        let featureNames = Array(header.dropLast())
        var rows: [(values: [Double], label: Int32)] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let label = Int32(fields.last!) else {
                throw LoadError(message: "\(name).csv: bad label in \(line)")
            }
            rows.append((fields.dropLast().map { Double($0)! }, label))
        }
        guard split.count == rows.count else {
            throw LoadError(message: "\(name).split.csv has \(split.count) rows for \(rows.count)")
        }
        let classes = Int(rows.map(\.label).max()!) + 1
        let classNames = (0..<classes).map { "class\($0)" }
        func subset(_ test: Bool) -> Dataset {
            let chosen = rows.indices.filter { split[$0] == test }
            return Dataset(
                featureNames: featureNames,
                rows: chosen.map { rows[$0].values },
                labels: chosen.map { rows[$0].label },
                classNames: classNames
            )
        }
        train = subset(false)
        test = subset(true)
    }
}
