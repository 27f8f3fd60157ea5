import CRMDLauncher
import Foundation

/// A temp folder of plugin libraries: symlinks to the `.so` files the package built.
struct PluginFolder {
    let path: String

    /// Every fixture and sample the tests use, by the product name (`lib<product>.so`).
    static let samples = ["crmplugin-nearest-centroid", "crmplugin-gaussian-nb"]
    static let refusals = [
        "crmfixture-wrong-magic", "crmfixture-abi-major-2", "crmfixture-abi-minor-99", "crmfixture-no-entry",
        "crmfixture-null-name", "crmfixture-small-struct", "crmfixture-duplicate-a", "crmfixture-duplicate-b",
        "crmfixture-init-fails",
    ]

    init(in parent: String, products: [String]) throws {
        path = parent + "/plugins"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for product in products {
            try add(product)
        }
    }

    /// Links `lib<product>.so` from the build folder into this folder.
    func add(_ product: String) throws {
        let source = "\(BuildProducts.directory)/lib\(product).so"
        guard FileManager.default.fileExists(atPath: source) else {
            throw HarnessError("\(source) is missing; build it with `swift build --product \(product)`")
        }
        try FileManager.default.createSymbolicLink(atPath: "\(path)/lib\(product).so", withDestinationPath: source)
    }

    /// A text file named `.so`: not a shared object.
    func addTextFile(named name: String = "x.so") throws {
        try "not an ELF file\n".write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8)
    }
}
