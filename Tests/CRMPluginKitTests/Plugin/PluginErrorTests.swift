import CRMPluginKit
import Testing

@Suite("PluginError")
struct PluginErrorTests {
    @Test("Status numbers outside 1–16 read as unknown")
    func statusNumbers() {
        #expect(PluginError.Code(status: 3) == .invalidArgument)
        #expect(PluginError.Code(status: 12) == .unimplemented)
        #expect(PluginError.Code(status: 0) == .unknown)
        #expect(PluginError.Code(status: 99) == .unknown)
        #expect(PluginError.Code.internalError.rawValue == 13)
    }
}
