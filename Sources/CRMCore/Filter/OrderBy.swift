/// The `order_by` of List requests (AIP-132): `display_name desc, create_time`.
///
/// Fields are looked up in a ``FilterSchema``; only fields marked ``FilterField/orderable`` may
/// appear, each at most once.
public struct OrderBy: Sendable, Hashable {
    /// One sort key.
    public struct Key: Sendable, Hashable {
        /// The field name the client wrote.
        public var field: String
        public var descending: Bool

        public init(field: String, descending: Bool) {
            self.field = field
            self.descending = descending
        }
    }

    /// The sort keys, most significant first; empty for the default order.
    public var keys: [Key]

    public init(keys: [Key] = []) {
        self.keys = keys
    }

    /// Parses `text`: comma-separated field names, each optionally followed by `asc` or `desc`.
    ///
    /// - Parameters:
    ///   - text: the `order_by` a client sent; blank means the default order.
    ///   - schema: the fields that may be named.
    /// - Throws: ``CRMError`` (`invalidArgument` on `order_by`) for an unknown, unorderable or repeated
    ///   field, a missing field between commas, or anything but `asc`/`desc` after a field, with its column.
    public static func parse(_ text: String, schema: FilterSchema) throws -> OrderBy {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= Filter.maximumLength else {
            throw error("is \(scalars.count) characters long; at most \(Filter.maximumLength) are allowed")
        }
        guard scalars.contains(where: { !$0.properties.isWhitespace }) else {
            return OrderBy()
        }
        var keys: [Key] = []
        var firstColumn: [String: Int] = [:]
        for segment in segments(scalars) {
            guard let (name, nameColumn) = segment.words.first else {
                throw error("expected a field name at column \(segment.column)")
            }
            guard let field = schema[name] else {
                throw error("unknown field \"\(name)\" at column \(nameColumn); expected one of: \(orderable(schema))")
            }
            guard field.orderable else {
                throw error(
                    "\"\(name)\" at column \(nameColumn) cannot be used to sort; expected one of: \(orderable(schema))"
                )
            }
            if let first = firstColumn[name] {
                throw error("\"\(name)\" at column \(nameColumn) is already a sort key (at column \(first))")
            }
            firstColumn[name] = nameColumn
            var descending = false
            if segment.words.count > 1 {
                let (direction, directionColumn) = segment.words[1]
                switch direction.lowercased() {
                case "asc": descending = false
                case "desc": descending = true
                default:
                    throw error(
                        "expected asc, desc, \",\" or the end after \"\(name)\" at column \(directionColumn), "
                            + "found \"\(direction)\""
                    )
                }
            }
            if segment.words.count > 2 {
                let (extra, extraColumn) = segment.words[2]
                throw error("expected \",\" or the end at column \(extraColumn), found \"\(extra)\"")
            }
            keys.append(Key(field: name, descending: descending))
        }
        return OrderBy(keys: keys)
    }

    /// One comma-separated part: the column where it starts and its whitespace-separated words with their columns.
    private struct Segment {
        var column: Int
        var words: [(String, Int)] = []
    }

    private static func segments(_ scalars: [Unicode.Scalar]) -> [Segment] {
        var segments = [Segment(column: 1)]
        var word = String.UnicodeScalarView()
        var wordColumn = 0
        func endWord() {
            if !word.isEmpty {
                segments[segments.count - 1].words.append((String(word), wordColumn))
                word = String.UnicodeScalarView()
            }
        }
        for (offset, scalar) in scalars.enumerated() {
            if scalar == "," {
                endWord()
                if segments[segments.count - 1].words.isEmpty {
                    segments[segments.count - 1].column = offset + 1
                }
                segments.append(Segment(column: offset + 2))
            } else if scalar.properties.isWhitespace {
                endWord()
            } else {
                if word.isEmpty { wordColumn = offset + 1 }
                word.append(scalar)
            }
        }
        endWord()
        return segments
    }

    private static func orderable(_ schema: FilterSchema) -> String {
        schema.fields.filter(\.orderable).map(\.name).joined(separator: ", ")
    }

    private static func error(_ description: String) -> CRMError {
        CRMError.invalid("order_by", description)
    }
}
