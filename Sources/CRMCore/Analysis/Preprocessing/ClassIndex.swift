/// The classes of a target, each with its index: the encoding between the labels of the registry and the class
/// numbers the analysis plugins see.
///
/// Classes are sorted as scikit-learn's `LabelEncoder` (`numpy.unique`) sorts them, so that class `i` here is
/// class `i` there:
/// - when every label is an integer (an optional sign and decimal digits, e.g. `"-1"`, `"10"`), numerically,
///   as a numeric target column would be (`"2"` before `"10"`); labels of the same value (`"1"`, `"01"`) are then
///   ordered as text;
/// - otherwise as text, by Unicode scalar values (`"10"` before `"2"`, `"Z"` before `"a"`), as NumPy compares
///   strings.
public struct ClassIndex: Codable, Sendable, Hashable {
    /// The class names, in index order.
    public let names: [String]

    /// The distinct labels of `labels`, sorted as described above.
    /// - Parameter labels: The labels of the rows, repetitions allowed.
    public init(labels: some Sequence<String>) {
        let distinct = Array(Set(labels))
        let numbers = distinct.map { Self.integer($0) }
        if numbers.allSatisfy({ $0 != nil }) {
            let keyed = zip(numbers, distinct).map { (number: $0!, name: $1) }
            names = keyed.sorted {
                $0.number != $1.number ? $0.number < $1.number : Self.textOrder($0.name, $1.name)
            }.map(\.name)
        } else {
            names = distinct.sorted(by: Self.textOrder)
        }
    }

    /// The number of classes.
    public var count: Int { names.count }

    /// The index of the class `label`, or `nil` for a label not seen when the index was built.
    public func index(of label: String) -> Int? {
        // Binary search would need the ordering again; the class count is small.
        names.firstIndex(of: label)
    }

    /// The indexes of `labels`, or `nil` when one of them is not a known class.
    public func encode(_ labels: [String]) -> [Int]? {
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() { positions[name] = index }
        var encoded: [Int] = []
        encoded.reserveCapacity(labels.count)
        for label in labels {
            guard let index = positions[label] else { return nil }
            encoded.append(index)
        }
        return encoded
    }

    /// The name of each class index in `indexes`.
    public func decode(_ indexes: [Int]) -> [String] {
        indexes.map { names[$0] }
    }

    /// NumPy's string order: lexicographic by Unicode scalar value (not Swift's normalising `<`).
    private static func textOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }

    /// The value of `text` when it is an optional sign followed by ASCII digits, of any length.
    private static func integer(_ text: String) -> IntegerLabel? {
        var digits = Substring(text)
        var negative = false
        if let first = digits.first, first == "-" || first == "+" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let magnitude = digits.drop { $0 == "0" }
        return IntegerLabel(negative: negative && !magnitude.isEmpty, magnitude: magnitude)
    }
}

/// An integer label compared by value without a width limit: sign, then number of digits, then digits.
private struct IntegerLabel: Comparable {
    var negative: Bool
    /// The decimal digits without leading zeros (empty for zero).
    var magnitude: Substring

    static func < (lhs: IntegerLabel, rhs: IntegerLabel) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let smallerMagnitude =
            lhs.magnitude.count != rhs.magnitude.count
            ? lhs.magnitude.count < rhs.magnitude.count
            : lhs.magnitude.utf8.lexicographicallyPrecedes(rhs.magnitude.utf8)
        let largerMagnitude = lhs.magnitude != rhs.magnitude && !smallerMagnitude
        return lhs.negative ? largerMagnitude : smallerMagnitude
    }
}
