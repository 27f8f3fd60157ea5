import CRMPluginABI
import Foundation
import PluginTestSupport
import Testing

/// `crm_plugin_validate_descriptor` — the check every host runs before it calls into a plugin — and the layout
/// the header documents.
@Suite("Descriptor validation")
struct DescriptorValidationTests {
    @Test("The ABI 1.0 layout is fixed")
    func layout() {
        #expect(MemoryLayout<crm_plugin_descriptor>.size == 88)
        #expect(MemoryLayout<crm_host_api>.size == 48)
        #expect(MemoryLayout<crm_plugin_error>.size == 24)
        #expect(crm_plugin_descriptor_size_for_minor(0) == 88)
        #expect(crm_host_api_size_for_minor(0) == 48)
        #expect(crm_plugin_descriptor_size_for_minor(1) == 0, "a minor this header does not know")
        #expect(MemoryLayout<crm_plugin_descriptor>.offset(of: \.struct_size) == 12)
        #expect(CRM_PLUGIN_MAGIC == 0x504D_5243)
        #expect(CRM_PLUGIN_ENTRY_SYMBOL == "crm_plugin_entry")
    }

    @Test("A complete descriptor is valid")
    func valid() {
        withDescriptor { _ in
        } check: { problem in
            #expect(problem == nil)
        }
    }

    @Test(
        "Each broken rule is refused with its reason",
        arguments: [
            Breakage("wrong magic", "wrong magic 0x00000000") { $0.magic = 0 },
            Breakage("newer major", "ABI major 2 is not supported (this host speaks 1.0)") { $0.abi_major = 2 },
            Breakage("newer minor", "ABI 1.1 is newer than this host's 1.0: upgrade crmd") { $0.abi_minor = 1 },
            Breakage("short struct", "descriptor size 40 is smaller than the 88 bytes ABI 1.0 requires") {
                $0.struct_size = 40
            },
            Breakage("unknown kind", "unknown kind 7") { $0.kind = 7 },
            Breakage("unknown flag", "unknown flags 0x4 for ABI 1.0") { $0.flags = 0x5 },
            Breakage("missing name", "name is NULL") { $0.name = nil },
            Breakage("upper-case name", "name \"Bad Name\" is invalid") { $0.name = staticString("Bad Name") },
            Breakage("leading dash", "name \"-x\" is invalid") { $0.name = staticString("-x") },
            Breakage("empty version", "version of \"fixture\" is missing or invalid") {
                $0.version = staticString("")
            },
            Breakage("version with a space", "version of \"fixture\" is missing or invalid") {
                $0.version = staticString("1.0 beta")
            },
            Breakage("missing license", "license of \"fixture\" is NULL") { $0.license = nil },
            Breakage("missing call", "\"fixture\" lacks a function") { $0.call = nil },
            Breakage("missing free_buffer", "\"fixture\" lacks a function") { $0.free_buffer = nil },
        ]
    )
    func refused(_ breakage: Breakage) {
        withDescriptor(breakage.apply) { problem in
            #expect(problem?.contains(breakage.reason) == true, "got: \(problem ?? "valid")")
        }
    }

    @Test("A short struct is refused before any field past the first four is read")
    func shortStructIsNotReadPastItsSize() {
        // Only the frozen 16-byte prefix exists; the rest of the buffer is poison the check must not look at.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 88, alignment: 8)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0xAB, count: 88)
        raw.storeBytes(of: CRM_PLUGIN_MAGIC, toByteOffset: 0, as: UInt32.self)
        raw.storeBytes(of: 1, toByteOffset: 4, as: UInt32.self)
        raw.storeBytes(of: 0, toByteOffset: 8, as: UInt32.self)
        raw.storeBytes(of: 16, toByteOffset: 12, as: UInt32.self)
        var reason = [CChar](repeating: 0, count: 200)
        let valid = crm_plugin_validate_descriptor(
            raw.assumingMemoryBound(to: crm_plugin_descriptor.self),
            &reason,
            200
        )
        #expect(valid == 0)
        #expect(String(nulTerminated: reason).hasPrefix("descriptor size 16 is smaller"))
    }

    @Test("NULL is refused and a short reason buffer is cut, not overrun")
    func nullAndShortBuffer() {
        var reason = [CChar](repeating: 0x7F, count: 8)
        #expect(crm_plugin_validate_descriptor(nil, &reason, 6) == 0)
        #expect(String(nulTerminated: reason) == "the e")
        #expect(reason[6] == 0x7F)
    }

    struct Breakage: CustomTestStringConvertible, Sendable {
        let name: String
        let reason: String
        let apply: @Sendable (inout crm_plugin_descriptor) -> Void

        init(_ name: String, _ reason: String, _ apply: @escaping @Sendable (inout crm_plugin_descriptor) -> Void) {
            self.name = name
            self.reason = reason
            self.apply = apply
        }

        var testDescription: String { name }
    }

    private func withDescriptor(
        _ change: (inout crm_plugin_descriptor) -> Void,
        check: (String?) -> Void
    ) {
        var descriptor = crm_plugin_descriptor()
        descriptor.magic = CRM_PLUGIN_MAGIC
        descriptor.abi_major = UInt32(CRM_PLUGIN_ABI_MAJOR)
        descriptor.abi_minor = UInt32(CRM_PLUGIN_ABI_MINOR)
        descriptor.struct_size = UInt32(MemoryLayout<crm_plugin_descriptor>.size)
        descriptor.kind = CRM_PLUGIN_KIND_ANALYSIS
        descriptor.flags = CRM_PLUGIN_FLAG_SERIAL
        descriptor.name = staticString("fixture")
        descriptor.version = staticString("1.0.0")
        descriptor.description = staticString("a test fixture")
        descriptor.license = staticString("MIT")
        descriptor.`init` = { _, _, _, _, _ in 0 }
        descriptor.call = { _, _, _, _, _, _, _ in 0 }
        descriptor.free_buffer = { _, _ in }
        descriptor.shutdown = { _ in }
        change(&descriptor)
        var reason = [CChar](repeating: 0, count: 256)
        let valid = crm_plugin_validate_descriptor(&descriptor, &reason, reason.count)
        check(valid == 1 ? nil : String(nulTerminated: reason))
    }
}

/// A NUL-terminated copy that lives for the rest of the process, like a plugin's static strings.
private func staticString(_ text: String) -> UnsafePointer<CChar> {
    UnsafePointer(strdup(text)!)
}
