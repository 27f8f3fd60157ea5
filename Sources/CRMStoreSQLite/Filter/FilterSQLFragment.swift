import CRMCore
import GRDB

/// A piece of SQL and the arguments for its `?`s, in order.
struct FilterSQLFragment {
    var sql: String
    var arguments: [DatabaseValue] = []

    var statementArguments: StatementArguments { StatementArguments(arguments) }
}
