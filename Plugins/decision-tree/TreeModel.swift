import CRMPluginKit
import Foundation

/// A trained tree and its byte format.
///
/// Format version 1, little-endian throughout:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `CRDT` |
/// | 2 | format version (1) |
/// | 1 | criterion (0 gini, 1 entropy), informational |
/// | 1 | reserved, 0 |
/// | 4 | feature count (UInt32) |
/// | 4 | class count (UInt32, ≥ 1) |
/// | 4 | node count (UInt32, ≥ 1) |
/// | node count × 24 | per node in creation order (node 0 is the root; children always follow their parent): feature
///   (Int32, -1 for a leaf), right child (UInt32), threshold (Float64; a row goes left when its value ≤ threshold),
///   left child (UInt32), reserved (UInt32, 0); children are 0 in a leaf |
/// | node count × class count × 8 | per node, the weighted class fractions (Float64, each row summing to 1) |
///
/// Decoding checks every field, so that prediction can index without checks: bad bytes are refused with
/// `FAILED_PRECONDITION`.
struct TreeModel {
    static let magic: [UInt8] = Array("CRDT".utf8)
    static let formatVersion: UInt16 = 1
    static let headerSize = 20
    static let nodeSize = 24

    var criterion: TreeSettings.Criterion
    var featureCount: Int
    var classCount: Int
    /// Per node: the feature tested, or -1 for a leaf.
    var features: [Int32]
    /// Per split node: the threshold (≤ goes left).
    var thresholds: [Double]
    /// Per split node: the left child's index (0 for a leaf).
    var leftChildren: [Int32]
    /// Per split node: the right child's index (0 for a leaf).
    var rightChildren: [Int32]
    /// Row-major node count × class count: weighted class fractions.
    var fractions: [Double]

    var nodeCount: Int { features.count }
    var leafCount: Int { features.count { $0 < 0 } }

    /// The length of the longest path from the root to a leaf, in splits.
    var depth: Int {
        var depths = [Int](repeating: 0, count: nodeCount)
        var deepest = 0
        for node in 0..<nodeCount where features[node] >= 0 {
            let childDepth = depths[node] + 1
            depths[Int(leftChildren[node])] = childDepth
            depths[Int(rightChildren[node])] = childDepth
            deepest = max(deepest, childDepth)
        }
        return deepest
    }

    init(criterion: TreeSettings.Criterion, featureCount: Int, classCount: Int) {
        self.criterion = criterion
        self.featureCount = featureCount
        self.classCount = classCount
        features = []
        thresholds = []
        leftChildren = []
        rightChildren = []
        fractions = []
    }

    /// Appends a node (a leaf until ``makeSplit``) with its weighted class counts; returns its index.
    mutating func addNode(counts: UnsafeBufferPointer<Double>) -> Int {
        features.append(-1)
        thresholds.append(0)
        leftChildren.append(0)
        rightChildren.append(0)
        let total = counts.reduce(0, +)
        for count in counts {
            fractions.append(total > 0 ? count / total : 1 / Double(classCount))
        }
        return features.count - 1
    }

    /// The leaf a row reaches.
    func leaf(for row: ArraySlice<Double>) -> Int {
        var node = 0
        let base = row.startIndex
        while features[node] >= 0 {
            node = Int(row[base + Int(features[node])] <= thresholds[node] ? leftChildren[node] : rightChildren[node])
        }
        return node
    }

    /// The class of a leaf: the largest fraction, the first on ties (as numpy's argmax).
    func leafClass(_ leaf: Int) -> Int {
        let base = leaf * classCount
        var best = 0
        for index in 1..<classCount where fractions[base + index] > fractions[base + best] {
            best = index
        }
        return best
    }

    func probabilities(of leaf: Int) -> ArraySlice<Double> {
        fractions[leaf * classCount..<(leaf + 1) * classCount]
    }

    func predictClass(_ row: ArraySlice<Double>) -> Int {
        leafClass(leaf(for: row))
    }

    // MARK: - Bytes

    func encoded() -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.headerSize + nodeCount * (Self.nodeSize + classCount * 8))
        bytes += Self.magic
        bytes.appendLittleEndian(Self.formatVersion)
        bytes.append(criterion.rawValue)
        bytes.append(0)
        bytes.appendLittleEndian(UInt32(featureCount))
        bytes.appendLittleEndian(UInt32(classCount))
        bytes.appendLittleEndian(UInt32(nodeCount))
        for node in 0..<nodeCount {
            bytes.appendLittleEndian(UInt32(bitPattern: features[node]))
            bytes.appendLittleEndian(UInt32(bitPattern: rightChildren[node]))
            bytes.appendLittleEndian(thresholds[node].bitPattern)
            bytes.appendLittleEndian(UInt32(bitPattern: leftChildren[node]))
            bytes.appendLittleEndian(UInt32(0))
        }
        for fraction in fractions {
            bytes.appendLittleEndian(fraction.bitPattern)
        }
        return Data(bytes)
    }

    init(decoding data: Data) throws(PluginError) {
        func refuse(_ reason: String) -> PluginError {
            PluginError(code: .failedPrecondition, message: "not a readable decision-tree model: \(reason)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= Self.headerSize, Array(bytes[0..<4]) == Self.magic else {
            throw refuse("the bytes do not start with the decision-tree header (magic CRDT)")
        }
        var reader = LittleEndianReader(bytes: bytes, offset: 4)
        let version: UInt16 = reader.read()
        guard version == Self.formatVersion else {
            throw refuse("format version \(version); this plugin reads version \(Self.formatVersion)")
        }
        let criterionByte: UInt8 = reader.read()
        let _: UInt8 = reader.read()
        guard let criterion = TreeSettings.Criterion(rawValue: criterionByte) else {
            throw refuse("unknown criterion \(criterionByte)")
        }
        let featureCount = Int(reader.read() as UInt32)
        let classCount = Int(reader.read() as UInt32)
        let nodeCount = Int(reader.read() as UInt32)
        guard classCount >= 1, nodeCount >= 1, classCount <= 1 << 20, nodeCount <= 1 << 28 else {
            throw refuse("\(classCount) classes and \(nodeCount) nodes")
        }
        let expected = Self.headerSize + nodeCount * Self.nodeSize + nodeCount * classCount * 8
        guard bytes.count == expected else {
            throw refuse("\(bytes.count) bytes where the header promises \(expected)")
        }
        self.init(criterion: criterion, featureCount: featureCount, classCount: classCount)
        features.reserveCapacity(nodeCount)
        for node in 0..<nodeCount {
            let feature = Int32(bitPattern: reader.read() as UInt32)
            let right = Int32(bitPattern: reader.read() as UInt32)
            let threshold = Double(bitPattern: reader.read() as UInt64)
            let left = Int32(bitPattern: reader.read() as UInt32)
            let _: UInt32 = reader.read()
            if feature >= 0 {
                guard Int(feature) < featureCount else {
                    throw refuse("node \(node) tests feature \(feature) of \(featureCount)")
                }
                guard left > node, right > node, Int(left) < nodeCount, Int(right) < nodeCount, left != right else {
                    throw refuse("node \(node) has children \(left) and \(right) (of \(nodeCount) nodes)")
                }
                guard threshold.isFinite else {
                    throw refuse("node \(node) has threshold \(threshold)")
                }
            } else if feature != -1 {
                throw refuse("node \(node) has feature \(feature)")
            }
            features.append(feature)
            rightChildren.append(right)
            leftChildren.append(left)
            thresholds.append(threshold)
        }
        fractions.reserveCapacity(nodeCount * classCount)
        for _ in 0..<nodeCount * classCount {
            let fraction = Double(bitPattern: reader.read() as UInt64)
            guard fraction.isFinite, fraction >= 0, fraction <= 1 else {
                throw refuse("a class fraction is \(fraction)")
            }
            fractions.append(fraction)
        }
        for node in 0..<nodeCount {
            let sum = fractions[node * classCount..<(node + 1) * classCount].reduce(0, +)
            guard abs(sum - 1) < 1e-9 else {
                throw refuse("the class fractions of node \(node) sum to \(sum), not 1")
            }
        }
        // Every node but the root must be the child of exactly one split: no sharing, no orphans.
        var parents = [Int](repeating: 0, count: nodeCount)
        for node in 0..<nodeCount where features[node] >= 0 {
            parents[Int(leftChildren[node])] += 1
            parents[Int(rightChildren[node])] += 1
        }
        guard parents[0] == 0, parents.dropFirst().allSatisfy({ $0 == 1 }) else {
            throw refuse("the nodes do not form a tree")
        }
    }
}
