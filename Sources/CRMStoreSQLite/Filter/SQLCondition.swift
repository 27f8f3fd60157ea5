import CRMCore
public import GRDB

/// A parameterised SQL condition: a `WHERE` fragment (without the keyword) and its arguments.
///
/// Every value a client sent is in ``arguments``; ``sql`` holds only schema columns, operators and `?`.
public struct SQLCondition: Sendable, Hashable {
    public var sql: String
    public var arguments: StatementArguments

    public init(sql: String, arguments: StatementArguments) {
        self.sql = sql
        self.arguments = arguments
    }
}
