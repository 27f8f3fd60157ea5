/// One customer as the duplicate search sees it: the fields that tell whether two records are the same person.
///
/// The values are taken as the store keeps them: the email already lower-case, the phone in E.164 form
/// (`+4930123456`) or empty. Everything else may be written in any case, with or without accents; the
/// ``DuplicateFinder`` normalises it (``DuplicateNormalization``) and keeps only a compact form.
public struct DuplicateCandidate: Sendable, Hashable {
    /// The customer's id in the registry; the groups name their members by it. Expected to be unique.
    public var id: Int64
    public var displayName: String
    /// Lower-case, may be empty.
    public var email: String
    /// E.164 (`+4930123456`), or the digits alone when the country was unknown, or empty.
    public var phone: String
    public var company: String
    public var street: String
    public var postalCode: String
    public var city: String
    /// ISO 3166-1 alpha-2, or empty.
    public var country: String

    public init(
        id: Int64,
        displayName: String = "",
        email: String = "",
        phone: String = "",
        company: String = "",
        street: String = "",
        postalCode: String = "",
        city: String = "",
        country: String = ""
    ) {
        self.id = id
        self.displayName = displayName
        self.email = email
        self.phone = phone
        self.company = company
        self.street = street
        self.postalCode = postalCode
        self.city = city
        self.country = country
    }
}
