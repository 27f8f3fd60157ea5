public import Foundation

/// How complete and plausible the registry is (docs/quality.md).
public struct QualityReport: Sendable, Equatable {
    /// Live customers.
    public var customers: Int64 = 0
    /// Live customers that have each field filled, in a fixed order.
    public var completeness: [FieldCount] = []
    public var findings: [Finding] = []

    public init() {}

    /// One kind of problem, how often it occurs, and the first examples.
    public struct Finding: Sendable, Equatable {
        public var check: String
        public var description: String
        public var count: Int64
        public var examples: [Example]

        public init(check: String, description: String, count: Int64, examples: [Example]) {
            self.check = check
            self.description = description
            self.count = count
            self.examples = examples
        }
    }

    public struct Example: Sendable, Equatable {
        /// `customers/12`, `orders/7`.
        public var name: String
        public var displayName: String
        public var detail: String

        public init(name: String, displayName: String, detail: String) {
            self.name = name
            self.displayName = displayName
            self.detail = detail
        }
    }

    public struct FieldCount: Sendable, Equatable {
        /// As in filters: `email`, `address.city`.
        public var field: String
        public var filled: Int64

        public init(field: String, filled: Int64) {
            self.field = field
            self.filled = filled
        }
    }

    /// Email domains that hand out throwaway addresses: an address there reaches no one for long.
    public static let disposableDomains: Set<String> = [
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com", "10minutemail.com",
        "10minutemail.net", "yopmail.com", "yopmail.net", "trashmail.com", "trashmail.de", "tempmail.com",
        "temp-mail.org", "getnada.com", "dispostable.com", "maildrop.cc", "throwawaymail.com", "fakeinbox.com",
        "mailnesia.com", "mintemail.com", "spamgourmet.com", "mytemp.email", "emailondeck.com", "tempr.email",
        "discard.email", "wegwerfmail.de", "einrot.com", "spambog.com", "byom.de", "trash-mail.com",
    ]
}

/// Reads the registry's quality report.
public protocol QualityStore: Sendable {
    /// - Parameters:
    ///   - staleBefore: a live customer with no order, payment, interaction or update since is stale.
    ///   - examples: examples per finding.
    func qualityReport(staleBefore: Date, examples: Int) async throws -> QualityReport
}
