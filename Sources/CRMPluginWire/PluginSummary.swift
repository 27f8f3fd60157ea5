/// What a plugin-host process reports about the library it loaded: the `LOADED` frame's payload.
package struct PluginSummary: Sendable, Equatable {
    package var abiMajor: UInt32
    package var abiMinor: UInt32
    package var kind: UInt32
    package var flags: UInt32
    package var name: String
    package var version: String
    package var description: String
    package var license: String

    package init(
        abiMajor: UInt32,
        abiMinor: UInt32,
        kind: UInt32,
        flags: UInt32,
        name: String,
        version: String,
        description: String,
        license: String
    ) {
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.kind = kind
        self.flags = flags
        self.name = name
        self.version = version
        self.description = description
        self.license = license
    }

    package init(payload: [UInt8]) throws {
        var reader = WireReader(payload)
        abiMajor = try reader.uint32()
        abiMinor = try reader.uint32()
        kind = try reader.uint32()
        flags = try reader.uint32()
        name = try reader.text()
        version = try reader.text()
        description = try reader.text()
        license = try reader.text()
    }

    package var payload: [UInt8] {
        var writer = WireWriter()
        writer.append(abiMajor)
        writer.append(abiMinor)
        writer.append(kind)
        writer.append(flags)
        writer.appendText(name)
        writer.appendText(version)
        writer.appendText(description)
        writer.appendText(license)
        return writer.bytes
    }
}
