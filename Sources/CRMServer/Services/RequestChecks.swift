import CRMCore
import CRMProto
import SwiftProtobuf

/// Checks shared by the services: page sizes, etags, enum values, masks.
enum RequestChecks {
    static let defaultPageSize = 50
    static let maximumPageSize = 1000

    /// AIP-158: 0 means the default; above the maximum is coerced; negative is an error.
    static func pageSize(_ requested: Int32, field: String = "page_size") throws -> Int {
        if requested < 0 { throw CRMError.invalid(field, "must not be negative (got \(requested))") }
        if requested == 0 { return defaultPageSize }
        return min(Int(requested), maximumPageSize)
    }

    /// The version an etag stands for; nil when no etag was sent.
    static func expectedVersion(_ etag: String, field: String) throws -> Int64? {
        if etag.isEmpty { return nil }
        guard let version = Etag.version(etag) else {
            throw CRMError.invalid(field, "is not an etag this server issued (got \(etag.prefix(40)))")
        }
        return version
    }

    /// Enum values this server does not know (from a newer client) are bad input.
    static func known<E: SwiftProtobuf.Enum>(_ value: E, field: String) throws {
        if E(rawValue: value.rawValue) == nil || "\(value)".hasPrefix("UNRECOGNIZED") {
            throw CRMError.invalid(field, "has the unknown value \(value.rawValue)")
        }
    }

    static let filterLimit = 2000

    static func text(_ value: String, field: String, maxLength: Int) throws {
        if value.count > maxLength {
            throw CRMError.invalid(field, "must be at most \(maxLength) characters (got \(value.count))")
        }
    }
}
