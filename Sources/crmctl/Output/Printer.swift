import Foundation
import SwiftProtobuf

/// A record crmctl can print as a table row, a detail view, JSON or CSV.
protocol PrintableRecord: SwiftProtobuf.Message {
    associatedtype Schema: CSVSchema where Schema.Record == Self

    /// Column titles of the list table.
    static var listHeaders: [String] { get }
    /// This record's cells under ``listHeaders``.
    var listRow: [String] { get }
    /// Column titles of the list with `-o wide`: references by resource name and external id, times.
    static var wideHeaders: [String] { get }
    /// This record's cells under ``wideHeaders``.
    var wideRow: [String] { get }
    /// Every field worth showing, for `get` and `create`.
    var detailFields: [(String, String)] { get }
}

/// Writes results to standard output in the format asked for.
struct Printer {
    /// table, json or csv (`wide` is a table with ``wide`` set).
    var format: OutputFormat
    /// Lists show ``PrintableRecord/wideHeaders``.
    var wide = false
    /// Tables and CSV lists start with their header row.
    var headers = true

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
        case .table, .wide: return TextTable.details(record.detailFields)
        case .json: return try Self.json(record)
        case .csv: return R.Schema.csv(for: [record])
        }
    }

    /// A page of records, or all pages with `--all`.
    /// - Parameters:
    ///   - records: the records to show.
    ///   - response: the list response as sent in JSON.
    ///   - nextPageToken: the token of the next page; shown as a hint under a table.
    ///   - recordsKey: the JSON field of the records in `response`, written as `[]` when there are none.
    func list<R: PrintableRecord>(
        _ records: [R],
        response: some SwiftProtobuf.Message,
        recordsKey: String,
        nextPageToken: String
    ) throws {
        switch format {
        case .table, .wide:
            let table = TextTable(
                headers: wide ? R.wideHeaders : R.listHeaders,
                rows: records.map { wide ? $0.wideRow : $0.listRow }
            )
            Terminal.write(headers ? table.render() : table.renderRows())
            if records.isEmpty {
                Terminal.warn("no \(recordsKey) found")
            } else if !nextPageToken.isEmpty {
                Terminal.warn("more results: --page-token \(nextPageToken) (or --all)")
            }
        case .json:
            Terminal.write(try Self.json(response, listing: recordsKey))
        case .csv:
            let csv = R.Schema.csv(for: records)
            Terminal.write(headers ? csv : String(csv.drop { $0 != "\n" }.dropFirst()))
        }
    }

    /// A message without a CSV schema (versions, stats, health) as name/value pairs.
    func fields(_ message: some SwiftProtobuf.Message, _ fields: [(String, String)]) throws {
        switch format {
        case .table, .wide:
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

    /// The JSON of a list response, with `key` written as `[]` when it has no records: the protobuf
    /// mapping leaves empty repeated fields out, and a reader expects the list.
    static func json(_ response: some SwiftProtobuf.Message, listing key: String) throws -> String {
        let text = try json(response)
        guard
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            object[key] == nil
        else { return text }
        var completed = object
        completed[key] = [Any]()
        let data = try JSONSerialization.data(
            withJSONObject: completed,
            options: [.sortedKeys, .withoutEscapingSlashes]
        )
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
