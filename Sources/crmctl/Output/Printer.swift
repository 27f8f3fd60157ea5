import SwiftProtobuf

/// A record crmctl can print as a table row, a detail view, JSON or CSV.
protocol PrintableRecord: SwiftProtobuf.Message {
    associatedtype Schema: CSVSchema where Schema.Record == Self

    /// Column titles of the list table.
    static var listHeaders: [String] { get }
    /// This record's cells under ``listHeaders``.
    var listRow: [String] { get }
    /// Every field worth showing, for `get` and `create`.
    var detailFields: [(String, String)] { get }
}

/// Writes results to standard output in the format asked for.
struct Printer {
    var format: OutputFormat

    /// JSON options: proto field names (`next_page_token`), map keys in a stable order.
    static var jsonOptions: JSONEncodingOptions {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.useDeterministicOrdering = true
        return options
    }

    /// One record, as from `get`, `create` or `update`.
    func record<R: PrintableRecord>(_ record: R) throws {
        Terminal.write(try render(record: record))
    }

    func render<R: PrintableRecord>(record: R) throws -> String {
        switch format {
        case .table: return TextTable.details(record.detailFields)
        case .json: return try Self.json(record)
        case .csv: return R.Schema.csv(for: [record])
        }
    }

    /// A page of records, or all pages with `--all`.
    /// - Parameters:
    ///   - records: the records to show.
    ///   - response: the list response as sent in JSON.
    ///   - nextPageToken: the token of the next page; shown as a hint under a table.
    func list<R: PrintableRecord>(_ records: [R], response: some SwiftProtobuf.Message, nextPageToken: String) throws {
        switch format {
        case .table:
            Terminal.write(TextTable(headers: R.listHeaders, rows: records.map(\.listRow)).render())
            if !nextPageToken.isEmpty {
                Terminal.warn("more results: --page-token \(nextPageToken) (or --all)")
            }
        case .json:
            Terminal.write(try Self.json(response))
        case .csv:
            Terminal.write(R.Schema.csv(for: records))
        }
    }

    /// A message without a CSV schema (versions, stats, health) as name/value pairs.
    func fields(_ message: some SwiftProtobuf.Message, _ fields: [(String, String)]) throws {
        switch format {
        case .table:
            Terminal.write(TextTable.details(fields))
        case .json:
            Terminal.write(try Self.json(message))
        case .csv:
            var writer = CSVWriter()
            writer.write(fields.map(\.0))
            writer.write(fields.map(\.1))
            Terminal.write(writer.text)
        }
    }

    /// The protobuf JSON of a message on one line.
    static func json(_ message: some SwiftProtobuf.Message) throws -> String {
        try message.jsonString(options: jsonOptions) + "\n"
    }
}
