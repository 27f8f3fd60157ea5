import CRMCore

/// The JSON text of a customer's tags (an array of strings) and attributes
/// (an object of strings, keys sorted), as the store keeps them in a column.
///
/// Written by hand for the two shapes the store needs: Foundation's
/// JSONEncoder/JSONDecoder were a tenth of the cost of writing an imported row.
/// SQLite's JSON functions (used by filters) read the same text.
enum JSONText {
    static func array(_ values: [String]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            appendString(value, to: &text)
        }
        return text + "]"
    }

    static func object(_ values: [String: String]) -> String {
        var text = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            appendString(key, to: &text)
            text += ":"
            appendString(values[key]!, to: &text)
        }
        return text + "}"
    }

    static func parseArray(_ text: String) throws -> [String] {
        var parser = Parser(text)
        var values: [String] = []
        try parser.expect("[")
        if try !parser.consume("]") {
            repeat {
                values.append(try parser.string())
            } while try parser.consume(",")
            try parser.expect("]")
        }
        try parser.end()
        return values
    }

    static func parseObject(_ text: String) throws -> [String: String] {
        var parser = Parser(text)
        var values: [String: String] = [:]
        try parser.expect("{")
        if try !parser.consume("}") {
            repeat {
                let key = try parser.string()
                try parser.expect(":")
                values[key] = try parser.string()
            } while try parser.consume(",")
            try parser.expect("}")
        }
        try parser.end()
        return values
    }

    private static func appendString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                text += "\\u00"
                text += String(scalar.value, radix: 16).leftPadded(to: 2)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    struct Malformed: Error {}

    /// A reader over the UTF-8 bytes of JSON text; only strings, arrays and objects of strings.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        init(_ text: String) {
            bytes = Array(text.utf8)
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        }

        mutating func consume(_ character: UInt8) throws -> Bool {
            skipSpace()
            guard position < bytes.count, bytes[position] == character else { return false }
            position += 1
            return true
        }

        mutating func consume(_ character: Unicode.Scalar) throws -> Bool {
            try consume(UInt8(character.value))
        }

        mutating func expect(_ character: Unicode.Scalar) throws {
            guard try consume(character) else { throw Malformed() }
        }

        mutating func end() throws {
            skipSpace()
            guard position == bytes.count else { throw Malformed() }
        }

        mutating func string() throws -> String {
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
                            guard try consume("\\"), try consume("u") else { throw Malformed() }
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

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
