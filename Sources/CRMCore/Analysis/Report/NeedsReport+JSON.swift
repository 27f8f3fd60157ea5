public import Foundation

extension NeedsReport {
    /// The report as JSON: pretty-printed, keys sorted, times in ISO 8601 (UTC, to the millisecond).
    ///
    /// Property names are those of the Swift types, e.g. `generateTime`, `classDistribution`. A
    /// report read back with ``init(json:)`` equals this one except for times finer than a millisecond.
    ///
    /// - Throws: `EncodingError` when a number is not finite (JSON has no NaN).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.timeStyle))
        }
        return try encoder.encode(self)
    }

    /// Reads a report written by ``json()``; times may also come without fractional seconds.
    ///
    /// - Parameters:
    ///   - json: The UTF-8 JSON text.
    /// - Throws: `DecodingError` when the text is not such a report.
    public init(json: Data) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Self.timeStyle.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an ISO 8601 time, found \(text)"
            )
        }
        self = try decoder.decode(NeedsReport.self, from: json)
    }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
