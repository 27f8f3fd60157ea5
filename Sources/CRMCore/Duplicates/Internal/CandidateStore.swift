/// The candidates in their compact form: one ``CandidateRecord`` each, and the match tokens of all names in one
/// array of Unicode scalar values, so that a million names are two allocations rather than millions of strings.
struct CandidateStore: Sendable {
    /// The separator of the tokens of one name in ``names``.
    static let separator: UInt32 = 0x20
    /// The longest token kept, in scalars; longer ones are cut.
    static let maximumTokenLength = 48

    private(set) var records: [CandidateRecord] = []
    private(set) var names: [UInt32] = []

    var count: Int { records.count }

    mutating func append(_ candidate: DuplicateCandidate) {
        let tokens = DuplicateNormalization.matchTokens(candidate.displayName)
        let nameStart = names.count
        for (position, token) in tokens.enumerated() {
            if position > 0 {
                names.append(Self.separator)
            }
            names.append(contentsOf: token.unicodeScalars.prefix(Self.maximumTokenLength).map(\.value))
        }
        var nameSet = StableHash()
        for token in tokens.sorted() {
            nameSet.combine(token)
            nameSet.combine(byte: 0)
        }

        let emailKey = DuplicateNormalization.emailKey(candidate.email)
        let emailLocalPart = DuplicateNormalization.distinctiveLocalPart(ofKey: emailKey).map(StableHash.narrow) ?? 0
        let phoneKey = DuplicateNormalization.phoneKey(candidate.phone)
        // Longer than E.164 allows: keep the last 15 digits, which still fit in a UInt64.
        let phoneDigits = phoneKey.suffix(PhoneNumber.maxDigits)
        let country = candidate.country.utf8.filter { $0 != 0x20 }.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }

        records.append(
            CandidateRecord(
                id: candidate.id,
                emailKey: StableHash.of(emailKey),
                phone: UInt64(phoneDigits) ?? 0,
                nameSet: tokens.isEmpty ? 0 : nameSet.value,
                email: StableHash.narrow(candidate.email),
                emailLocalPart: emailLocalPart,
                street: StableHash.narrow(DuplicateNormalization.streetKey(candidate.street)),
                postalCode: StableHash.narrow(DuplicateNormalization.placeKey(candidate.postalCode)),
                city: StableHash.narrow(DuplicateNormalization.placeKey(candidate.city)),
                company: StableHash.narrow(DuplicateNormalization.companyKey(candidate.company)),
                nameStart: UInt32(nameStart),
                nameLength: UInt16(names.count - nameStart),
                country: country.count == 2 ? country.reduce(0) { $0 << 8 | UInt16($1) } : 0,
                phoneDigits: UInt8(phoneDigits.count),
                tokenCount: UInt8(tokens.count)
            )
        )
    }
}

extension CandidateRecord {
    /// The ranges of the record's match tokens in `names`, in the order of the name.
    func tokenSpans(in names: UnsafeBufferPointer<UInt32>) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        spans.reserveCapacity(Int(tokenCount))
        var start = Int(nameStart)
        let end = start + Int(nameLength)
        for index in start..<end where names[index] == CandidateStore.separator {
            spans.append(start..<index)
            start = index + 1
        }
        if start < end {
            spans.append(start..<end)
        }
        return spans
    }
}

extension CandidateStore {
    /// For each candidate, the first eight letters of its name with the tokens sorted, as a number that sorts
    /// like the letters (each letter's scalar cut to a byte): the order of the sliding window in an oversized
    /// block, which puts `Anna Berger`, `Berger Anna` and `Anan Berger` next to each other.
    func nameOrderKeys() -> [UInt64] {
        names.withUnsafeBufferPointer { names in
            records.map { record in
                let spans = record.tokenSpans(in: names).sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
                var key: UInt64 = 0
                var letters = 0
                for (position, span) in spans.enumerated() {
                    for scalar in (position > 0 ? [Self.separator] : []) + names[span] where letters < 8 {
                        key = key << 8 | UInt64(min(scalar, 0xFF))
                        letters += 1
                    }
                }
                return key << (8 * UInt64(8 - letters))
            }
        }
    }
}
