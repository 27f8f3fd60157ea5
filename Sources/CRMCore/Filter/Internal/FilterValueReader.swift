/// Turns the value of one restriction into a typed ``FilterComparison`` for its field's kind,
/// rejecting operators and values the kind does not support.
package struct FilterValueReader {
    var field: FilterField
    var attributeKey: String?
    var op: FilterOperator
    /// Where the operator starts, for errors about the operator.
    var opColumn: Int
    var literal: FilterLiteral
    /// Where the value starts, for errors about the value.
    var column: Int

    /// How the field is named in messages: `attributes.tier` or `display_name`.
    private var path: String {
        attributeKey.map { "\(field.name).\($0)" } ?? field.name
    }

    /// `literal` as written, for messages.
    private var written: String {
        literal.isQuoted ? "\"\(literal.text)\"" : literal.text
    }

    private var isPresence: Bool {
        op == .has && literal.endsWithWildcard && literal.prefix.isEmpty && !literal.hasInnerWildcard
    }

    func comparison() throws -> FilterComparison {
        if literal.hasInnerWildcard {
            throw Filter.syntaxError(
                "the value at column \(column) has a \"*\" before its end; a * is only allowed at the end "
                    + "(a prefix match); to match a literal *, quote the value and write \\*"
            )
        }
        let value: FilterValue
        switch field.kind {
        case .text:
            value = try textValue()
        case .attributes where attributeKey != nil:
            value = try textValue()
        case .attributes:
            return try attributesPresence()
        case .integer:
            value = try isPresence ? .present : .integer(integerValue())
        case .boolean:
            try requireOperator([.equals, .notEquals])
            value = .boolean(try booleanValue())
        case .timestamp:
            value = try timestampValue()
        case .enumeration(let labels):
            try requireOperator([.equals, .notEquals])
            value = try enumerationValue(labels)
        case .resource(let collection):
            if isPresence {
                value = .present
            } else {
                try requireOperator([.equals, .notEquals], orPresence: true)
                value = try resourceValue(collection)
            }
        case .tags:
            value = try tagValue()
        }
        return FilterComparison(field: field.name, attributeKey: attributeKey, op: op, value: value)
    }

    // MARK: - Kinds

    private func textValue() throws -> FilterValue {
        if isPresence {
            return .present
        }
        guard literal.endsWithWildcard else {
            return .text(literal.text)
        }
        switch op {
        case .equals, .notEquals:
            return .prefix(literal.prefix)
        case .has:
            throw Filter.syntaxError(
                "\"\(path):\" at column \(opColumn) matches a substring and takes no trailing *; "
                    + "write \(path) = \"\(literal.prefix)*\" for a prefix match, \(path):* for \"is set\", "
                    + "or \\* inside quotes for a literal *"
            )
        default:
            throw Filter.syntaxError(
                "a trailing * (prefix match) at column \(column) only works with = and !=, not \(op.rawValue)"
            )
        }
    }

    /// `attributes:tier` (the key is present) and `attributes:*` (any key is).
    private func attributesPresence() throws -> FilterComparison {
        guard op == .has else {
            throw Filter.syntaxError(
                "\"\(op.rawValue)\" at column \(opColumn) cannot compare \(field.name) as a whole; "
                    + "compare one attribute (\(field.name).<key> = value) or test a key (\(field.name):<key>)"
            )
        }
        if isPresence {
            return FilterComparison(field: field.name, op: .has, value: .present)
        }
        try rejectWildcard()
        try Self.checkAttributeKey(literal.text, field: field, column: column)
        return FilterComparison(field: field.name, attributeKey: literal.text, op: .has, value: .present)
    }

    private func integerValue() throws -> Int64 {
        try requireOperator(
            [.equals, .notEquals, .lessThan, .lessThanOrEquals, .greaterThan, .greaterThanOrEquals],
            orPresence: true
        )
        try rejectWildcard()
        guard let integer = Int64(literal.text) else {
            throw Filter.syntaxError(
                "\(path) is an integer field, but the value \(written) at column \(column) is not an integer"
            )
        }
        return integer
    }

    private func booleanValue() throws -> Bool {
        try rejectWildcard()
        switch literal.text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw Filter.syntaxError(
                "\(path) is a boolean field; expected true or false at column \(column), found \(written)"
            )
        }
    }

    private func timestampValue() throws -> FilterValue {
        if isPresence {
            return .present
        }
        try requireOperator(
            [.equals, .notEquals, .lessThan, .lessThanOrEquals, .greaterThan, .greaterThanOrEquals],
            orPresence: true
        )
        if !literal.isQuoted, literal.text == "null" {
            try requireOperator([.equals, .notEquals], what: "null")
            return .null
        }
        try rejectWildcard()
        guard let microseconds = TimestampLiteral.microseconds(literal.text) else {
            let hint =
                !literal.isQuoted && literal.text.contains("T")
                ? " (a time contains colons, so it must be quoted)" : ""
            throw Filter.syntaxError(
                "\(path) is a timestamp; expected an RFC 3339 time such as \"2025-01-01T10:00:00Z\" "
                    + "or a date such as 2025-01-01 at column \(column), found \(written)\(hint)"
            )
        }
        return .timestamp(microseconds)
    }

    private func enumerationValue(_ labels: [String: Int]) throws -> FilterValue {
        try rejectWildcard()
        let wanted = literal.text.lowercased()
        if let match = labels.first(where: { $0.key.lowercased() == wanted }) {
            return .enumeration(label: match.key, value: match.value)
        }
        let allowed = labels.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        throw Filter.syntaxError(
            "unknown value \(written) for \(path) at column \(column); "
                + "expected one of: \(allowed.joined(separator: ", "))"
        )
    }

    private func resourceValue(_ collection: String) throws -> FilterValue {
        try rejectWildcard()
        let prefix = collection + "/"
        guard literal.text.hasPrefix(prefix), let id = Int64(literal.text.dropFirst(prefix.count)), id > 0 else {
            throw Filter.syntaxError(
                "\(path) refers to \(collection); expected a resource name such as \"\(collection)/12\" "
                    + "at column \(column), found \(written)"
            )
        }
        return .resource(id: id)
    }

    private func tagValue() throws -> FilterValue {
        guard op == .has else {
            throw Filter.syntaxError(
                "\"\(op.rawValue)\" at column \(opColumn) cannot be used with \(path), which is a list of tags; "
                    + "write \(path):<tag> to test for a tag"
            )
        }
        if isPresence {
            return .present
        }
        try rejectWildcard()
        return .text(literal.text)
    }

    // MARK: - Checks

    private func requireOperator(_ allowed: [FilterOperator], orPresence: Bool = false, what: String? = nil) throws {
        guard !allowed.contains(op) else { return }
        var spelled = allowed.map(\.rawValue)
        if orPresence { spelled.append(":* (is set)") }
        let subject = what.map { "\($0) values" } ?? "\(path) (\(field.kind.readableDescription))"
        throw Filter.syntaxError(
            "\"\(op.rawValue)\" at column \(opColumn) cannot be used with \(subject); "
                + "expected \(spelled.joined(separator: ", "))"
        )
    }

    private func rejectWildcard() throws {
        guard literal.endsWithWildcard else { return }
        throw Filter.syntaxError(
            "a trailing * (prefix match) at column \(column) only works on text fields; "
                + "to match a literal *, quote the value and write \\*"
        )
    }

    /// Attribute keys are ASCII letters, digits, `_`, `-` and `.`, the characters stored keys may hold.
    package static func checkAttributeKey(_ key: String, field: FilterField, column: Int) throws {
        guard key.isEmpty || key.unicodeScalars.contains(where: { !isKeyScalar($0) }) else { return }
        throw Filter.syntaxError(
            key.isEmpty
                ? "expected an attribute key after \"\(field.name).\" at column \(column)"
                : "invalid attribute key \"\(key)\" at column \(column); "
                    + "keys contain only ASCII letters, digits, \"_\", \"-\" and \".\""
        )
    }

    private static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "-" || scalar == "."
    }
}
