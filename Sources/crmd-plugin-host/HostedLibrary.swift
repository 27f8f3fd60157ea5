import CRMPluginABI
import CRMPluginWire
import Glibc

/// The plugin library this process runs: opened and checked exactly as crm_plugin.h's "Loading" says,
/// before any of its functions is called.
struct HostedLibrary {
    /// Why a library cannot be used, as crmd lists it.
    struct Refusal: Error {
        /// `major.minor` when the descriptor's header could be read.
        var abiVersion = ""
        var reason: String
    }

    let descriptor: UnsafePointer<crm_plugin_descriptor>
    let summary: PluginSummary

    static func load(_ path: String) -> Result<HostedLibrary, Refusal> {
        dlerror()
        // Never dlclose: the process ends instead.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let detail = dlerror().map { String(cString: $0) } ?? "unknown error"
            return .failure(Refusal(reason: "not a loadable shared object: \(detail)"))
        }
        guard let symbol = dlsym(handle, CRM_PLUGIN_ENTRY_SYMBOL) else {
            return .failure(Refusal(reason: "missing entry symbol \(CRM_PLUGIN_ENTRY_SYMBOL): not a crmd plugin"))
        }
        let entry = unsafeBitCast(symbol, to: crm_plugin_entry_fn.self)
        guard let descriptor = entry() else {
            return .failure(Refusal(reason: "the entry function returned NULL"))
        }
        var refusal = Refusal(reason: "")
        // The first four fields keep their offsets in every major version.
        if descriptor.pointee.magic == CRM_PLUGIN_MAGIC {
            refusal.abiVersion = "\(descriptor.pointee.abi_major).\(descriptor.pointee.abi_minor)"
        }
        var reason = [CChar](repeating: 0, count: 512)
        guard crm_plugin_validate_descriptor(descriptor, &reason, reason.count) == 1 else {
            refusal.reason = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(refusal)
        }
        let d = descriptor.pointee
        let summary = PluginSummary(
            abiMajor: d.abi_major,
            abiMinor: d.abi_minor,
            kind: d.kind,
            flags: d.flags,
            name: String(cString: d.name),
            version: String(cString: d.version),
            description: String(cString: d.description),
            license: String(cString: d.license)
        )
        return .success(HostedLibrary(descriptor: descriptor, summary: summary))
    }

    /// The bytes of a buffer the plugin handed out; gives the buffer back to `free_buffer`.
    func take(_ buffer: crm_plugin_buffer) -> [UInt8] {
        guard let data = buffer.data else { return [] }
        defer { descriptor.pointee.free_buffer!(data, buffer.len) }
        return Array(UnsafeBufferPointer(start: data, count: buffer.len))
    }
}
