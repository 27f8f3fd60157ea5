extension PullResponse {
    /// `has_more`: whether more records are waiting now (the host pulls again at once).
    ///
    /// SwiftProtobuf names the generated property `hasMore_p`, because `has…` is its prefix for field presence.
    public var hasMore: Bool {
        get { hasMore_p }
        set { hasMore_p = newValue }
    }
}
