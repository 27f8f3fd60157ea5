package import CRMPluginABI
package import CRMPluginKit
import Foundation
package import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

/// A plugin library loaded the way the host loads it: `dlopen(RTLD_NOW | RTLD_LOCAL)`, the entry symbol, the
/// descriptor, then `init`, `call`, `free_buffer` and `shutdown` through the C function pointers.
package final class LoadedPlugin: @unchecked Sendable {
    /// What a call returned.
    package enum Outcome {
        case success([UInt8])
        case failure(code: Int32, message: String)

        /// The response decoded as `type`, or a test failure naming the error.
        package func decoded<Response: SwiftProtobuf.Message>(as type: Response.Type) throws -> Response {
            switch self {
            case .success(let bytes):
                return try Response(serializedBytes: bytes)
            case .failure(let code, let message):
                throw PluginError(code: .init(status: code), message: message)
            }
        }

        package var code: Int32 {
            if case .failure(let code, _) = self { code } else { CRM_STATUS_OK }
        }

        package var message: String {
            if case .failure(_, let message) = self { message } else { "" }
        }
    }

    package let path: String
    package let descriptor: UnsafePointer<crm_plugin_descriptor>
    package let host = TestHost()
    package private(set) var state: UnsafeMutableRawPointer?
    /// Buffers handed out and not yet freed; must be 0 before `shutdown`.
    package private(set) var outstandingBuffers = 0

    /// Loads `lib<product>.so` from the build folder.
    package init(product: String) throws {
        path = try Self.library(product)
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadError(message: "dlopen \(path): \(String(cString: dlerror()))")
        }
        // Never dlclose: the host does not either (Swift libraries cannot be unloaded safely).
        guard let symbol = dlsym(handle, CRM_PLUGIN_ENTRY_SYMBOL) else {
            throw LoadError(message: "\(path) has no symbol \(CRM_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafePointer<crm_plugin_descriptor>?).self)
        guard let descriptor = entry() else {
            throw LoadError(message: "\(path): the entry function returned NULL")
        }
        self.descriptor = descriptor
        self.entry = entry
    }

    package let entry: @convention(c) () -> UnsafePointer<crm_plugin_descriptor>?

    package var name: String { String(cString: descriptor.pointee.name) }
    package var version: String { String(cString: descriptor.pointee.version) }
    package var license: String { String(cString: descriptor.pointee.license) }
    package var summary: String { String(cString: descriptor.pointee.description) }

    /// `crm_plugin_validate_descriptor`'s verdict: `nil` when valid, else the reason.
    package var descriptorProblem: String? {
        var reason = [CChar](repeating: 0, count: 256)
        let valid = crm_plugin_validate_descriptor(descriptor, &reason, reason.count)
        return valid == 1 ? nil : String(nulTerminated: reason)
    }

    /// Calls `init` with `config`; returns the failure, if any.
    @discardableResult
    package func initialize(config: [UInt8]) -> Outcome {
        var newState: UnsafeMutableRawPointer? = nil
        var error = crm_plugin_error()
        let status = config.withUnsafeBufferPointer { config in
            descriptor.pointee.`init`!(UnsafePointer(host.table), config.baseAddress, config.count, &newState, &error)
        }
        if status == CRM_STATUS_OK {
            state = newState
            return .success([])
        }
        return .failure(code: status, message: take(error.message))
    }

    /// Calls `init` with a configuration message.
    @discardableResult
    package func initialize(_ config: PluginConfig = PluginConfig()) throws -> Outcome {
        initialize(config: try config.serializedBytes())
    }

    /// Calls `method` with raw request bytes; the response is copied and its buffer freed at once.
    package func call(_ method: String, bytes: [UInt8], context: TestCall? = nil) -> Outcome {
        bytes.withUnsafeBytes { request in
            withResponse(method, request: request, context: context) { response in .success(Array(response)) }
        }
    }

    /// Calls `method` with an encoded `request`.
    package func call(
        _ method: String,
        _ request: some SwiftProtobuf.Message,
        context: TestCall? = nil
    ) throws -> Outcome {
        call(method, bytes: try request.serializedBytes(), context: context)
    }

    /// Calls `method` and hands the response bytes to `body` before freeing them (what a host that decodes in place
    /// does).
    package func withResponse(
        _ method: String,
        request: UnsafeRawBufferPointer,
        context: TestCall? = nil,
        _ body: (UnsafeRawBufferPointer) throws -> Outcome
    ) rethrows -> Outcome {
        var response = crm_plugin_buffer()
        var error = crm_plugin_error()
        let status = descriptor.pointee.call!(
            state,
            method,
            request.baseAddress?.assumingMemoryBound(to: UInt8.self),
            request.count,
            context?.context,
            &response,
            &error
        )
        if response.data != nil {
            outstandingBuffers += 1
        }
        defer { free(response) }
        guard status == CRM_STATUS_OK else {
            return .failure(code: status, message: take(error.message))
        }
        return try body(UnsafeRawBufferPointer(start: response.data, count: response.len))
    }

    /// Calls `shutdown`.
    package func shutdown() {
        descriptor.pointee.shutdown!(state)
        state = nil
    }

    private func free(_ buffer: crm_plugin_buffer) {
        if let data = buffer.data {
            descriptor.pointee.free_buffer!(data, buffer.len)
            outstandingBuffers -= 1
        }
    }

    /// An error message's text; frees its buffer.
    private func take(_ message: crm_plugin_buffer) -> String {
        guard let data = message.data else {
            return ""
        }
        outstandingBuffers += 1
        defer { free(message) }
        return String(decoding: UnsafeBufferPointer(start: data, count: message.len), as: UTF8.self)
    }

    /// `lib<product>.so` next to the test bundle (SwiftPM puts libraries and the bundle in one folder), or in
    /// `$CRM_PLUGIN_BUILD_DIR`.
    package static func library(_ product: String) throws -> String {
        var folders: [String] = []
        if let folder = ProcessInfo.processInfo.environment["CRM_PLUGIN_BUILD_DIR"] {
            folders.append(folder)
        }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        folders.append(executable.deletingLastPathComponent().path)
        for folder in folders {
            let path = "\(folder)/lib\(product).so"
            if FileManager.default.fileExists(atPath: path) {
                return path
            }
        }
        throw LoadError(
            message: "lib\(product).so is not in \(folders.joined(separator: " or ")); "
                + "build it first: swift build --product \(product)"
        )
    }
}

package struct LoadError: Error, CustomStringConvertible {
    package let message: String

    package init(message: String) {
        self.message = message
    }
    package var description: String { message }
}

extension String {
    /// The text before the first NUL of a C character buffer.
    package init(nulTerminated characters: [CChar]) {
        self.init(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
