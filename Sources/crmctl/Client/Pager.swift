/// Follows `next_page_token` through the pages of a list.
enum Pager {
    /// The records of one page, or of every page when `all` is set, and the token after them.
    /// - Parameters:
    ///   - firstToken: the token to start from.
    ///   - all: whether to follow the tokens to the end.
    ///   - fetch: fetches the page a token names, returning its records and next token.
    static func collect<Record>(
        from firstToken: String,
        all: Bool,
        fetch: (String) async throws -> (records: [Record], nextPageToken: String)
    ) async throws -> (records: [Record], nextPageToken: String) {
        var records: [Record] = []
        var token = firstToken
        repeat {
            let page = try await fetch(token)
            records += page.records
            token = page.nextPageToken
        } while all && !token.isEmpty
        return (records, token)
    }
}
