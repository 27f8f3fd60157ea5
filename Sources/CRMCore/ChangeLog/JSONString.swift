/// JSON text written and read by hand where the shapes are few and the cost matters: the store's
/// tag and attribute columns and the change log's images (Foundation's JSONEncoder was a tenth of the
/// cost of writing an imported row).
package enum JSONString {
    /// Appends `value` as a JSON string literal.
    package static func append(_ value: String, to text: inout String) {
        // Most values need no escape: copy them whole (a tenth of the cost of the loop below).
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            text += "\""
            text += value
            text += "\""
            return
        }
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u00" + (hex.count < 2 ? "0" : "") + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// A JSON array of strings: `["a","b"]`.
    package static func array(_ values: [String]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            append(value, to: &text)
        }
        return text + "]"
    }

    /// A JSON object of strings, keys sorted: `{"a":"1","b":"2"}`.
    package static func object(_ values: [String: String]) -> String {
        var text = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            append(key, to: &text)
            text += ":"
            append(values[key]!, to: &text)
        }
        return text + "}"
    }

    package struct Malformed: Error {}

    /// A reader over the UTF-8 bytes of JSON text.
    package struct Reader {
        let bytes: [UInt8]
        var position = 0

        package init(_ text: String) {
            bytes = Array(text.utf8)
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        }

        package mutating func consume(_ character: Unicode.Scalar) -> Bool {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(character.value) else { return false }
            position += 1
            return true
        }

        package mutating func expect(_ character: Unicode.Scalar) throws {
            guard consume(character) else { throw Malformed() }
        }

        package mutating func end() throws {
            skipSpace()
            guard position == bytes.count else { throw Malformed() }
        }

        /// The members of an object, each value as its JSON text, in the order written.
        package mutating func objectMembers() throws -> [(String, String)] {
            var members: [(String, String)] = []
            try expect("{")
            if !consume("}") {
                repeat {
                    let key = try string()
                    try expect(":")
                    members.append((key, try rawValue()))
                } while consume(",")
                try expect("}")
            }
            try end()
            return members
        }

        /// The text of the next value, whatever its type, skipped whole.
        mutating func rawValue() throws -> String {
            skipSpace()
            let start = position
            var depth = 0
            var inString = false
            while position < bytes.count {
                let byte = bytes[position]
                if inString {
                    if byte == 0x5C {
                        position += 1
                    } else if byte == 0x22 {
                        inString = false
                        if depth == 0 {
                            position += 1
                            break
                        }
                    }
                } else {
                    switch byte {
                    case 0x22: inString = true
                    case 0x5B, 0x7B: depth += 1
                    case 0x5D, 0x7D:
                        if depth == 0 { return try text(from: start) }
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return try text(from: start)
                        }
                    case 0x2C where depth == 0: return try text(from: start)
                    default: break
                    }
                }
                position += 1
            }
            return try text(from: start)
        }

        private func text(from start: Int) throws -> String {
            var end = position
            while end > start, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[end - 1]) { end -= 1 }
            guard end > start else { throw Malformed() }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        package mutating func string() throws -> String {
            try expect("\"")
            var utf8: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case 0x22:  // "
                    return String(decoding: utf8, as: UTF8.self)
                case 0x5C:  // backslash
                    guard position < bytes.count else { throw Malformed() }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case 0x22, 0x5C, 0x2F: utf8.append(escape)
                    case 0x62: utf8.append(0x08)
                    case 0x66: utf8.append(0x0C)
                    case 0x6E: utf8.append(0x0A)
                    case 0x72: utf8.append(0x0D)
                    case 0x74: utf8.append(0x09)
                    case 0x75:  // u
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard consume("\\"), consume("u") else { throw Malformed() }
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let value = Unicode.Scalar(scalar) else { throw Malformed() }
                        utf8.append(contentsOf: Array(String(Character(value)).utf8))
                    default: throw Malformed()
                    }
                default:
                    utf8.append(byte)
                }
            }
            throw Malformed()
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw Malformed() }
            position += 4
            return value
        }
    }
}
