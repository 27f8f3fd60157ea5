extension DatagramListener.Datagram {
    /// The `KEY=VALUE` lines of a notification (`sd_notify(3)`), e.g. `READY` → `1`.
    var notification: [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return fields
    }

    /// The fields of a message in the journal's native protocol (`systemd.journal-fields(7)`,
    /// "Native Journal Protocol"): `NAME=value\n`, or, for a value holding a newline,
    /// `NAME\n` + its length as 64-bit little endian + the value + `\n`. Nil if malformed.
    var journalFields: [(name: String, value: String)]? {
        var fields: [(name: String, value: String)] = []
        var position = payload.startIndex
        while position < payload.endIndex {
            guard
                let end = payload[position...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "=") }
                )
            else { return nil }
            let name = String(decoding: payload[position..<end], as: UTF8.self)
            if payload[end] == UInt8(ascii: "=") {
                let lineEnd = payload[end...].firstIndex(of: UInt8(ascii: "\n")) ?? payload.endIndex
                fields.append((name, String(decoding: payload[(end + 1)..<lineEnd], as: UTF8.self)))
                position = min(lineEnd + 1, payload.endIndex)
            } else {
                let sizeStart = end + 1
                guard sizeStart + 8 <= payload.endIndex else { return nil }
                var size = 0
                for (shift, byte) in payload[sizeStart..<(sizeStart + 8)].enumerated() {
                    size |= Int(byte) << (8 * shift)
                }
                let valueStart = sizeStart + 8
                guard size >= 0, valueStart + size < payload.endIndex, payload[valueStart + size] == UInt8(ascii: "\n")
                else { return nil }
                fields.append((name, String(decoding: payload[valueStart..<(valueStart + size)], as: UTF8.self)))
                position = valueStart + size + 1
            }
        }
        return fields
    }

    /// The first value of each journal field.
    var journalEntry: [String: String] {
        var entry: [String: String] = [:]
        for (name, value) in journalFields ?? [] where entry[name] == nil {
            entry[name] = value
        }
        return entry
    }
}
