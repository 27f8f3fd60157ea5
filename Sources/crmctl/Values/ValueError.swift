/// Why a piece of text could not be read as the value a flag or a CSV cell asks for.
///
/// The reason is phrased to follow a column or flag name: `quantity: not a whole number: "2.5"`.
struct ValueError: Error, Equatable, Sendable, CustomStringConvertible {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    var description: String { reason }
}
