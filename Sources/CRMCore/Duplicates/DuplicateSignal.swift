/// A piece of evidence that two customers are the same person, as reported with a ``DuplicatePair``.
///
/// Only agreements are signals; disagreements (different emails, different first names) lower the score
/// without being listed.
public enum DuplicateSignal: String, Sendable, Hashable, CaseIterable {
    /// The same email address.
    case email
    /// Email addresses that differ as written but name the same mailbox (`a.berger+shop@gmail.com` and
    /// `aberger@googlemail.com`), or the same distinctive name before the `@` at another provider.
    case emailVariant = "email_variant"
    /// The same phone number.
    case phone
    /// The same or nearly the same name (a typo, another spelling of an umlaut, an accent, a middle name).
    case name
    /// The same name with first and last name swapped (`Berger Anna`, `Berger, Anna`).
    case swappedName = "swapped_name"
    /// The same street and house number in the same postal code or city.
    case address
    /// The same company, legal form aside (`Acme GmbH` and `ACME Gesellschaft`).
    case company
}
