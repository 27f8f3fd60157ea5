/// The kinds of key that put candidates in one block; only candidates sharing a key are compared.
///
/// Every pair that ``PairEvidence`` can score at a usual threshold shares at least one key: a match needs the
/// same email key, the same phone, or a shared address with a similar name, and each of those is a key here.
/// The name keys besides catch duplicates whose only common ground is a typo'd name and a city.
///
/// Common values make large blocks (a frequent surname in one city, a company's switchboard): a block of more than
/// ``blockLimit`` members is compared only within a sliding window of ``window`` neighbours, its members ordered
/// by name (by postal code and street for the ``name`` key), so the comparisons grow linearly with the registry.
enum BlockingKey: CaseIterable, Sendable {
    /// ``DuplicateNormalization/emailKey(_:)``.
    case email
    /// The distinctive local part of the email key, at any provider.
    case emailLocalPart
    /// The last seven digits of the phone number, so that a number with and one without calling code meet.
    case phone
    /// The sorted name tokens: the same name in any order, namesakes too.
    case name
    /// Each name token of two letters or more with the postal code (the city without one): a typo in the other
    /// token, relatives at one address.
    case tokenAndPlace
    /// The first four letters of each name token, sorted, with the city: typos after the fourth letter in any
    /// token, swapped names.
    case prefixesAndCity
    /// The first token's initial, the last token and the country, and the same the other way round: a first name
    /// typo'd or abbreviated anywhere in the country.
    case initialAndSurname

    /// The largest block whose members are all compared with each other.
    static let blockLimit = 50
    /// In a larger block, each member is compared with the next `window - 1` in order.
    static let window = 20
    /// The letters of each token in ``prefixesAndCity``.
    static let prefixLength = 4

    /// Whether oversized blocks of this key are ordered by place rather than by name.
    var ordersByPlace: Bool { self == .name }

    /// Calls `emit` with each key of this kind that `record` has (none when the fields are empty).
    func keys(of record: CandidateRecord, names: UnsafeBufferPointer<UInt32>, emit: (UInt64) -> Void) {
        switch self {
        case .email:
            if record.emailKey != 0 {
                emit(record.emailKey)
            }
        case .emailLocalPart:
            if record.emailLocalPart != 0 {
                emit(UInt64(record.emailLocalPart))
            }
        case .phone:
            if record.phone != 0 {
                emit(record.phone % 10_000_000)
            }
        case .name:
            if record.nameSet != 0 {
                emit(record.nameSet)
            }
        case .tokenAndPlace:
            let place =
                record.postalCode != 0
                ? UInt64(record.postalCode) : record.city != 0 ? 1 << 32 | UInt64(record.city) : 0
            guard place != 0 else {
                return
            }
            var emitted: [UInt64] = []
            for span in record.tokenSpans(in: names) where span.count >= 2 {
                var hash = StableHash(seed: place)
                for scalar in names[span] {
                    hash.combine(scalar: scalar)
                }
                if !emitted.contains(hash.value) {
                    emitted.append(hash.value)
                    emit(hash.value)
                }
            }
        case .prefixesAndCity:
            let place =
                record.city != 0
                ? UInt64(record.city) : record.postalCode != 0 ? 1 << 32 | UInt64(record.postalCode) : 0
            guard place != 0 && record.tokenCount > 0 else {
                return
            }
            var prefixes = record.tokenSpans(in: names).map { span in
                var hash = StableHash()
                for scalar in names[span].prefix(Self.prefixLength) {
                    hash.combine(scalar: scalar)
                }
                return hash.value
            }
            prefixes.sort()
            var hash = StableHash(seed: place)
            for prefix in prefixes {
                hash.combine(prefix)
            }
            emit(hash.value)
        case .initialAndSurname:
            let spans = record.tokenSpans(in: names)
            guard spans.count >= 2, let first = spans.first, let last = spans.last else {
                return
            }
            for (initial, surname) in [(first, last), (last, first)] {
                var hash = StableHash(seed: UInt64(record.country))
                hash.combine(scalar: names[initial.lowerBound])
                hash.combine(byte: 0)
                for scalar in names[surname] {
                    hash.combine(scalar: scalar)
                }
                emit(hash.value)
            }
        }
    }
}
