import Testing

@testable import crmd

@Suite("ConfigurationFile")
struct ConfigurationFileTests {
    @Test("an empty file sets nothing")
    func empty() throws {
        #expect(try ConfigurationFile.parse("", path: "x.yaml") == ConfigurationFile())
    }
}
