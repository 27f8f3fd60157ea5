import Foundation
import PluginTestSupport

/// A test-side reader of the model header (format version 1), independent of the plugin's own code.
struct ModelHeader {
    var version: Int
    var activation: Int
    var units: [Int]

    init(_ model: Data) throws {
        let bytes = [UInt8](model)
        func u32(_ offset: Int) -> Int {
            Int((0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) })
        }
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("CRNN".utf8) else {
            throw LoadError(message: "not a neural-network model")
        }
        version = Int(bytes[4]) | Int(bytes[5]) << 8
        activation = Int(bytes[6])
        let layers = u32(8)
        units = (0...layers).map { u32(12 + 4 * $0) }
    }
}
