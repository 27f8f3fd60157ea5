/// One candidate as the finder keeps it: hashes of the normalised fields (``StableHash``, 0 for an empty
/// field) and the place of its name tokens in the ``CandidateStore``'s name storage. 72 bytes, plus about four
/// bytes per letter of the name.
struct CandidateRecord: Sendable {
    var id: Int64
    /// ``DuplicateNormalization/emailKey(_:)``.
    var emailKey: UInt64
    /// The digits of the phone number as a number (at most 15 digits fit); 0 for none or too few digits.
    var phone: UInt64
    /// The sorted match tokens of the name: equal for the same name in any word order.
    var nameSet: UInt64
    /// The email exactly as given (the store keeps it trimmed and lower-case), to tell the same address from a
    /// variant of it.
    var email: UInt32
    /// ``DuplicateNormalization/distinctiveLocalPart(ofKey:)``.
    var emailLocalPart: UInt32
    /// ``DuplicateNormalization/streetKey(_:)``.
    var street: UInt32
    /// ``DuplicateNormalization/placeKey(_:)`` of the postal code.
    var postalCode: UInt32
    /// ``DuplicateNormalization/placeKey(_:)`` of the city.
    var city: UInt32
    /// ``DuplicateNormalization/companyKey(_:)``.
    var company: UInt32
    /// Where the name's match tokens start in the name storage; they are separated by a space.
    var nameStart: UInt32
    /// How many scalars the name takes in the name storage, separators included.
    var nameLength: UInt16
    /// The two ASCII letters of the country, or 0.
    var country: UInt16
    /// How many digits `phone` has (it may have started with a 0 that the number dropped).
    var phoneDigits: UInt8
    var tokenCount: UInt8

    var nameRange: Range<Int> {
        Int(nameStart)..<Int(nameStart) + Int(nameLength)
    }
}
