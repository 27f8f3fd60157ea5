import CRMProto
import Foundation
import SwiftProtobuf

/// The files of a `FileDescriptorSet`, found by file name and by the symbols they define: what gRPC server
/// reflection answers from.
struct DescriptorIndex: Sendable {
    /// Each file's serialized `FileDescriptorProto`, as reflection sends it, by file name.
    private(set) var serializedFiles: [String: Data] = [:]
    /// Each file's imports, by file name.
    private(set) var dependencies: [String: [String]] = [:]
    /// The file defining each fully qualified symbol (package, message, enum, service, method, field of an
    /// extension), without a leading dot.
    private(set) var fileOfSymbol: [String: String] = [:]
    /// Fully qualified service names, in file order.
    private(set) var services: [String] = []

    /// The descriptors generated with the code (``ServedDescriptors``).
    static let served: DescriptorIndex = {
        guard
            let bytes = Data(
                base64Encoded: ServedDescriptors.fileDescriptorSetBase64,
                options: .ignoreUnknownCharacters
            ),
            let index = try? DescriptorIndex(fileDescriptorSet: bytes)
        else {
            preconditionFailure("the generated descriptor set does not decode: run scripts/generate-protos.sh")
        }
        return index
    }()

    init(fileDescriptorSet bytes: Data) throws {
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        for file in set.file {
            serializedFiles[file.name] = try file.serializedBytes()
            dependencies[file.name] = file.dependency
            let prefix = file.package.isEmpty ? "" : file.package + "."
            if !file.package.isEmpty { fileOfSymbol[file.package] = file.name }
            for message in file.messageType { index(message, prefix: prefix, file: file.name) }
            for enumeration in file.enumType { fileOfSymbol[prefix + enumeration.name] = file.name }
            for field in file.extension { fileOfSymbol[prefix + field.name] = file.name }
            for service in file.service {
                let name = prefix + service.name
                services.append(name)
                fileOfSymbol[name] = file.name
                for method in service.method { fileOfSymbol[name + "." + method.name] = file.name }
            }
        }
    }

    private mutating func index(_ message: Google_Protobuf_DescriptorProto, prefix: String, file: String) {
        let name = prefix + message.name
        fileOfSymbol[name] = file
        for nested in message.nestedType { index(nested, prefix: name + ".", file: file) }
        for enumeration in message.enumType { fileOfSymbol[name + "." + enumeration.name] = file }
        for field in message.extension { fileOfSymbol[name + "." + field.name] = file }
    }

    /// `name` and every file it imports, directly or not, each once, `name` first; nil for an unknown file.
    func fileWithDependencies(_ name: String) -> [Data]? {
        guard serializedFiles[name] != nil else { return nil }
        var order: [String] = []
        var seen: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, serializedFiles[next] != nil else { continue }
            order.append(next)
            pending += (dependencies[next] ?? []).reversed()
        }
        return order.compactMap { serializedFiles[$0] }
    }
}
