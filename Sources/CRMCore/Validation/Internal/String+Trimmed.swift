extension StringProtocol {
    /// The text without leading and trailing white space and newlines.
    ///
    /// Like `trimmingCharacters(in: .whitespacesAndNewlines)`, which on Linux
    /// goes through NSString and was the largest single cost of validating an
    /// import row.
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
