/// Reads ASCII digits and punctuation from the front of a string, one UTF-8 byte at a time.
struct DigitScanner {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var atEnd: Bool { position == bytes.count }

    mutating func consume(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, position < bytes.count, bytes[position] == ascii else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard position < bytes.count, (0x30...0x39).contains(bytes[position]) else { return nil }
        defer { position += 1 }
        return Int64(bytes[position] - 0x30)
    }

    /// Exactly `digits` digits as a number, or nil (and nothing consumed) when there are fewer.
    mutating func number(digits: Int) -> Int64? {
        let start = position
        var value: Int64 = 0
        for _ in 0..<digits {
            guard let d = digit() else {
                position = start
                return nil
            }
            value = value * 10 + d
        }
        return value
    }

    /// `+` gives 1, `-` gives -1, anything else nil.
    mutating func sign() -> Int64? {
        if consume("+") { return 1 }
        if consume("-") { return -1 }
        return nil
    }
}
