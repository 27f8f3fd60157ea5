import CRMServer
import Yams

extension ConfigurationFile {
    /// Keys of the `limits` section, with the bounds a value must lie in.
    static let limitKeys: [(key: String, range: ClosedRange<Int>)] = [
        ("request_bytes", 1024...(1 << 30)),
        ("streams_per_connection", 1...100_000),
        ("calls_per_caller", 1...1_000_000),
        ("connections", 1...1_000_000),
        ("idle_connection_timeout", 1...(366 * 86_400)),
        ("atomic_import_rows", 1...100_000_000),
        ("atomic_import_rows_total", 1...1_000_000_000),
        ("concurrent_trainings", 1...1024),
    ]

    /// The `limits` section (docs/configuration.md): whole numbers; `idle_connection_timeout` in
    /// seconds, or with a unit (`30s`, `5m`, `1h`).
    static func parseLimits(_ entries: Node.Mapping, path: String) throws -> ServerLimits {
        var limits = ServerLimits()
        for (entryKey, entryValue) in entries {
            let key = entryKey.string ?? ""
            let fullKey = "limits.\(key)"
            guard let range = limitKeys.first(where: { $0.key == key })?.range else {
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown key (known: \(limitKeys.map(\.key).joined(separator: ", ")))"
                )
            }
            guard case .scalar(let scalar) = entryValue,
                let value = number(scalar.string, seconds: key.hasSuffix("timeout")),
                range.contains(value)
            else {
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
                        + (key.hasSuffix("timeout") ? " seconds (or with s, m, h)" : "")
                )
            }
            switch key {
            case "request_bytes": limits.requestBytes = value
            case "streams_per_connection": limits.streamsPerConnection = value
            case "calls_per_caller": limits.callsPerCaller = value
            case "connections": limits.connections = value
            case "idle_connection_timeout": limits.idleConnectionTimeout = .seconds(value)
            case "atomic_import_rows": limits.atomicImportRows = value
            case "atomic_import_rows_total": limits.atomicImportRowsTotal = value
            default: limits.concurrentTrainings = value
            }
        }
        return limits
    }

    /// `text` as a whole number; with `seconds`, an `s`, `m` or `h` suffix scales it.
    static func number(_ text: String, seconds: Bool) -> Int? {
        if let value = Int(text) { return value }
        guard seconds, let unit = text.last, let value = Int(text.dropLast()) else { return nil }
        switch unit {
        case "s": return value
        case "m": return value.multipliedReportingOverflow(by: 60).overflow ? nil : value * 60
        case "h": return value.multipliedReportingOverflow(by: 3600).overflow ? nil : value * 3600
        case "d": return value.multipliedReportingOverflow(by: 86_400).overflow ? nil : value * 86_400
        default: return nil
        }
    }
}
