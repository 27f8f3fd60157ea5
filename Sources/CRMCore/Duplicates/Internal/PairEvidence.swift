import Foundation

/// What two candidates' fields say about their being one person: a weight and the signals behind it.
///
/// The weight is a sum over the fields in the manner of Fellegi and Sunter (and of Splink): each term is
/// about log₂ of how much likelier the observation is for two records of one person than for two people who
/// happen to share a blocking key. Agreement adds, disagreement subtracts, a missing field counts nothing.
/// The score is the weight through a logistic curve around ``priorWeight``, the prior odds against a match:
/// `score = 1 / (1 + 2^(priorWeight - weight))`.
struct PairEvidence: Sendable {
    var weight: Double
    var signals: SignalSet

    /// The weight at which the score is 0.5.
    static let priorWeight = 4.0

    static func score(weight: Double) -> Double {
        1 / (1 + exp2(priorWeight - weight))
    }

    /// The least weight whose score is at least `score`; -∞ and +∞ at the ends.
    static func weight(forScore score: Double) -> Double {
        if score <= 0 {
            return -.infinity
        }
        if score >= 1 {
            return .infinity
        }
        return priorWeight + log2(score / (1 - score))
    }

    /// Weighs a pair.
    /// - Parameters:
    ///   - a: One candidate.
    ///   - b: The other.
    ///   - names: The name storage of the ``CandidateStore`` both come from.
    ///   - needed: When given, the weight the caller needs: a pair that cannot reach it whatever its names say is
    ///     given up before the names are compared, and nil returned.
    static func weigh(
        _ a: CandidateRecord,
        _ b: CandidateRecord,
        names: UnsafeBufferPointer<UInt32>,
        needed: Double? = nil
    ) -> PairEvidence? {
        var evidence = PairEvidence(weight: 0, signals: [])
        evidence.weighEmails(a, b)
        evidence.weighPhones(a, b)
        evidence.weighAddresses(a, b)
        evidence.weighCompanies(a, b)
        if let needed, evidence.weight + EvidenceWeight.sameName < needed {
            return nil
        }
        let name = NameComparison(names: names).weigh(a, b)
        evidence.weight += name.weight
        evidence.signals.formUnion(name.signals)
        return evidence
    }

    private mutating func add(_ weight: Double, _ signals: SignalSet = []) {
        self.weight += weight
        self.signals.formUnion(signals)
    }

    private mutating func weighEmails(_ a: CandidateRecord, _ b: CandidateRecord) {
        guard a.emailKey != 0 && b.emailKey != 0 else {
            return
        }
        if a.emailKey == b.emailKey {
            add(EvidenceWeight.sameEmail, a.email == b.email ? .email : .emailVariant)
        } else if a.emailLocalPart != 0 && a.emailLocalPart == b.emailLocalPart {
            add(EvidenceWeight.sameLocalPart, .emailVariant)
        } else {
            add(EvidenceWeight.differentEmail)
        }
    }

    private mutating func weighPhones(_ a: CandidateRecord, _ b: CandidateRecord) {
        guard a.phone != 0 && b.phone != 0 else {
            return
        }
        if Self.samePhone(a, b) {
            add(EvidenceWeight.samePhone, .phone)
        } else {
            add(EvidenceWeight.differentPhone)
        }
    }

    /// Equal numbers, or, when one is written with a calling code and the other without (only possible when a
    /// country was unknown), the same last digits: all but the first digit of the shorter, at least seven.
    static func samePhone(_ a: CandidateRecord, _ b: CandidateRecord) -> Bool {
        if a.phoneDigits == b.phoneDigits {
            return a.phone == b.phone
        }
        let shared = Int(min(a.phoneDigits, b.phoneDigits)) - 1
        guard shared >= DuplicateNormalization.minimumPhoneDigits else {
            return false
        }
        var modulus: UInt64 = 1
        for _ in 0..<shared {
            modulus *= 10
        }
        return a.phone % modulus == b.phone % modulus
    }

    private mutating func weighAddresses(_ a: CandidateRecord, _ b: CandidateRecord) {
        let sameStreet = a.street != 0 && a.street == b.street
        let streetMissing = a.street == 0 || b.street == 0
        let samePostalCode = a.postalCode != 0 && a.postalCode == b.postalCode
        let otherPostalCode = a.postalCode != 0 && b.postalCode != 0 && a.postalCode != b.postalCode
        let sameCity = a.city != 0 && a.city == b.city
        let otherCity = a.city != 0 && b.city != 0 && a.city != b.city
        if sameStreet && (samePostalCode || (sameCity && !otherPostalCode)) {
            add(EvidenceWeight.sameAddress, .address)
        } else if samePostalCode && streetMissing {
            add(EvidenceWeight.samePostalCode)
        } else if sameCity && !otherPostalCode && streetMissing {
            add(EvidenceWeight.sameCity)
        } else if otherCity || (otherPostalCode && !sameCity) {
            add(EvidenceWeight.differentPlace)
        }
        if a.country != 0 && b.country != 0 && a.country != b.country {
            add(EvidenceWeight.differentCountry)
        }
    }

    private mutating func weighCompanies(_ a: CandidateRecord, _ b: CandidateRecord) {
        guard a.company != 0 && b.company != 0 else {
            return
        }
        if a.company == b.company {
            add(EvidenceWeight.sameCompany, .company)
        } else {
            add(EvidenceWeight.differentCompany)
        }
    }
}

/// The weights of ``PairEvidence``, log₂ likelihood ratios chosen by reasoning about the fields and checked
/// against the labelled registry of `crmbench duplicates`.
enum EvidenceWeight {
    /// One mailbox is one person, nearly always (a family's shared address is the exception).
    static let sameEmail = 8.0
    /// The same distinctive name before the `@` (one with digits, `anna.berger84`) at another provider.
    static let sameLocalPart = 3.0
    /// Two mailboxes. People have several, and since the store keeps an address unique, a second record of a
    /// person has another one (or a variant, or none) by necessity: against a match, but mildly.
    static let differentEmail = -1.5
    /// Strong, but a household shares its landline.
    static let samePhone = 5.0
    /// People have a mobile and a landline.
    static let differentPhone = -1.5
    /// The same tokens, in any order: the most any name can add.
    static let sameName = 4.0
    /// Nearly the same name (typos): from ``closeName``'s lower bound for a Jaro-Winkler similarity of 0.85 to
    /// its upper bound from 0.97 on.
    static let closeName = 1.5...3.5
    /// One side has a single token (`Berger`) that the other's name contains.
    static let partialName = 1.0
    /// Each token close to one of the other name, and the other name longer: per token more (a second first
    /// name written in one record only).
    static let extraToken = -0.5
    /// A token only somewhat like its counterpart (`Jonas` and `John`, `Anna` and `Sandra`): a two-letter typo is
    /// rare, a relative with a similar first name is not.
    static let uncertainName = -6.0
    /// A token of one name that nothing in the other resembles, the other tokens alike: a relative (`Anna` and
    /// `Markus Berger`) or a namesake of the family. Outweighs a shared address and phone.
    static let oneNameDiffers = -10.0
    /// No token of one name resembles one of the other.
    static let namesDiffer = -12.0
    /// Street, house number and postal code (or city). Strong, because the pairs that get this far share a name
    /// token: a relative at the address is told apart by the first name.
    static let sameAddress = 4.0
    /// The same postal code where one street is missing.
    static let samePostalCode = 1.0
    /// The same city where the street and one postal code are missing.
    static let sameCity = 0.5
    /// Another city or postal code: people move, so only a little against.
    static let differentPlace = -1.0
    static let differentCountry = -2.0
    static let sameCompany = 1.0
    static let differentCompany = -0.5
}
