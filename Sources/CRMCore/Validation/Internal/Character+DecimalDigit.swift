extension Character {
    /// Whether this is a decimal digit of any script (`7`, `٧`, `७`). Unlike `isNumber` it excludes
    /// superscripts, fractions and Roman numerals, which no identifier means to contain.
    var isDecimalDigit: Bool {
        unicodeScalars.count == 1 && unicodeScalars.first?.properties.numericType == .decimal
    }
}
