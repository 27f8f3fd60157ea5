import Foundation

/// The opaque `page_token` of List and Search answers (AIP-158).
///
/// It carries where the previous page ended — the values of the sort keys of
/// its last row, or an offset for relevance-ranked search — and a fingerprint
/// of the query, so that a token is refused when the filter or the order
/// changed between pages.
package struct PageToken: Codable, Hashable {
    package enum Value: Codable, Hashable {
        case integer(Int64)
        case text(String)
        case null
    }

    /// The sort-key values of the last row of the previous page (keyset pagination).
    package var after: [Value] = []
    /// Rows to skip (offset pagination, for ranked search).
    package var offset: Int = 0
    /// ``PageToken/fingerprint(_:)`` of the query the token belongs to.
    package var query: UInt64

    package init(after: [Value] = [], offset: Int = 0, query: UInt64) {
        self.after = after
        self.offset = offset
        self.query = query
    }

    package func encoded() -> String {
        // Encoding these value types cannot fail.
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `text`, which must have been made for a query with fingerprint `query`.
    package static func decode(_ text: String, query: UInt64) throws -> PageToken {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 4096, let data = Data(base64Encoded: base64),
            let token = try? JSONDecoder().decode(PageToken.self, from: data)
        else {
            throw CRMError.invalid("page_token", "is not a token this server issued")
        }
        guard token.query == query else {
            throw CRMError.invalid(
                "page_token",
                "belongs to a different listing or query: send it only to the method that returned it, "
                    + "with the same filter, order_by and show_deleted"
            )
        }
        guard token.offset >= 0 else {
            throw CRMError.invalid("page_token", "is not a token this server issued")
        }
        return token
    }

    /// FNV-1a over the parts of a query that must not change between pages.
    package static func fingerprint(_ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            hash ^= 0xff
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
