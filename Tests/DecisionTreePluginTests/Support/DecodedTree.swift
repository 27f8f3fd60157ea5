import Foundation
import PluginTestSupport

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
