import CRMCore

/// The JSON text of a customer's tags (an array of strings) and attributes
/// (an object of strings, keys sorted), as the store keeps them in a column.
///
/// Written by hand for the two shapes the store needs: Foundation's
/// JSONEncoder/JSONDecoder were a tenth of the cost of writing an imported row.
/// SQLite's JSON functions (used by filters) read the same text.
enum JSONText {
    static func array(_ values: [String]) -> String {
        JSONString.array(values)
    }

    static func object(_ values: [String: String]) -> String {
        JSONString.object(values)
    }

    static func parseArray(_ text: String) throws -> [String] {
        var parser = JSONString.Reader(text)
        var values: [String] = []
        try parser.expect("[")
        if !parser.consume("]") {
            repeat {
                values.append(try parser.string())
            } while parser.consume(",")
            try parser.expect("]")
        }
        try parser.end()
        return values
    }

    static func parseObject(_ text: String) throws -> [String: String] {
        var parser = JSONString.Reader(text)
        var values: [String: String] = [:]
        try parser.expect("{")
        if !parser.consume("}") {
            repeat {
                let key = try parser.string()
                try parser.expect(":")
                values[key] = try parser.string()
            } while parser.consume(",")
            try parser.expect("}")
        }
        try parser.end()
        return values
    }
}
