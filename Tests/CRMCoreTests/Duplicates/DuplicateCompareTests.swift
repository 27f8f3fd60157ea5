import CRMCore
import Testing

@Suite("DuplicateFinder.compare")
struct DuplicateCompareTests {
    static let threshold = DuplicateFinder.defaultThreshold

    static let anna = DuplicateCandidate(
        id: 1,
        displayName: "Anna Berger",
        email: "anna.berger@web.de",
        phone: "+4930123456",
        company: "Acme GmbH",
        street: "Hauptstraße 5",
        postalCode: "10115",
        city: "Berlin",
        country: "DE"
    )

    @Test("a typo'd name with the same email is a match")
    func typoSameEmail() {
        let other = DuplicateCandidate(id: 2, displayName: "Anna Bereger", email: "anna.berger@web.de")
        let result = DuplicateFinder.compare(Self.anna, other)
        #expect(result.score >= Self.threshold)
        #expect(result.signals == [.email, .name])
    }

    @Test("swapped names with the same phone are a match, even with another email")
    func swappedSamePhone() {
        let other = DuplicateCandidate(
            id: 2,
            displayName: "Berger, Anna",
            email: "a.berger@gmx.de",
            phone: "+4930123456",
            city: "Berlin",
            country: "DE"
        )
        let result = DuplicateFinder.compare(Self.anna, other)
        #expect(result.score >= Self.threshold)
        #expect(result.signals == [.phone, .swappedName])
    }

    @Test("a Gmail address with dots and a +tag is a variant of the same mailbox")
    func gmailVariant() {
        let a = DuplicateCandidate(id: 1, displayName: "Jose Garcia", email: "josegarcia@gmail.com")
        let b = DuplicateCandidate(id: 2, displayName: "José García", email: "jose.garcia+shop@googlemail.com")
        let result = DuplicateFinder.compare(a, b)
        #expect(result.score >= Self.threshold)
        #expect(result.signals == [.emailVariant, .name])
    }

    @Test("Müller, Mueller and MÜLLER are one name; with the address and company that is a match")
    func umlautSpellings() {
        let base = DuplicateCandidate(
            id: 1,
            displayName: "Jürgen Müller",
            company: "Acme GmbH",
            street: "Hauptstraße 5",
            postalCode: "10115",
            city: "Berlin"
        )
        for spelling in ["Juergen Mueller", "JÜRGEN MÜLLER", "jurgen muller"] {
            var other = base
            other.id = 2
            other.displayName = spelling
            other.company = "ACME Gesellschaft"
            other.street = "Hauptstr. 5"
            let result = DuplicateFinder.compare(base, other)
            #expect(result.score >= Self.threshold, "\(spelling)")
            #expect(result.signals == [.name, .address, .company], "\(spelling)")
        }
    }

    @Test("relatives sharing family name, address and landline stay below the threshold")
    func householdRelatives() {
        let markus = DuplicateCandidate(
            id: 2,
            displayName: "Markus Berger",
            email: "markus.berger@gmail.com",
            phone: "+4930123456",
            company: "",
            street: "Hauptstr. 5",
            postalCode: "10115",
            city: "Berlin",
            country: "DE"
        )
        let result = DuplicateFinder.compare(Self.anna, markus)
        #expect(result.score < Self.threshold)
        #expect(result.signals == [.phone, .address])
        // Without emails to tell them apart, still.
        var annaWithoutEmail = Self.anna
        annaWithoutEmail.email = ""
        var markusWithoutEmail = markus
        markusWithoutEmail.email = ""
        #expect(DuplicateFinder.compare(annaWithoutEmail, markusWithoutEmail).score < Self.threshold)
    }

    @Test("relatives with similar first names (Anna and Sandra) stay below the threshold")
    func householdSimilarFirstNames() {
        var sandra = Self.anna
        sandra.id = 2
        sandra.displayName = "Sandra Berger"
        sandra.email = ""
        #expect(DuplicateFinder.compare(Self.anna, sandra).score < Self.threshold)
    }

    @Test("namesakes in another city, with other emails and phones, stay below the threshold")
    func namesakes() {
        let namesake = DuplicateCandidate(
            id: 2,
            displayName: "Anna Berger",
            email: "anna.berger@gmail.com",
            phone: "+4989765432",
            street: "Lindenstraße 12",
            postalCode: "80331",
            city: "München",
            country: "DE"
        )
        let result = DuplicateFinder.compare(Self.anna, namesake)
        #expect(result.score < Self.threshold)
        #expect(result.signals == [.name])
        // With nothing but the name known of the namesake, still.
        let bare = DuplicateCandidate(id: 3, displayName: "Anna Berger", city: "Hamburg")
        #expect(DuplicateFinder.compare(Self.anna, bare).score < Self.threshold)
    }

    @Test("the same name at the same address is a match despite another email")
    func sameNameSameAddress() {
        let other = DuplicateCandidate(
            id: 2,
            displayName: "Anna Berger",
            email: "a.berger@gmx.de",
            street: "Hauptstr. 5",
            postalCode: "10115",
            city: "Berlin"
        )
        #expect(DuplicateFinder.compare(Self.anna, other).score >= Self.threshold)
    }

    @Test("a match is the same in either order, and a candidate matches itself fully")
    func symmetric() {
        let others = [
            DuplicateCandidate(id: 2, displayName: "Berger Ana", phone: "+4930123456"),
            DuplicateCandidate(id: 3, displayName: "Anna Maria Berger", email: "anna.berger+x@web.de"),
            DuplicateCandidate(id: 4, displayName: "A. Berger", street: "Hauptstraße 5", postalCode: "10115"),
        ]
        for other in others {
            let forward = DuplicateFinder.compare(Self.anna, other)
            let backward = DuplicateFinder.compare(other, Self.anna)
            #expect(forward.score == backward.score)
            #expect(forward.signals == backward.signals)
        }
        let itself = DuplicateFinder.compare(Self.anna, Self.anna)
        #expect(itself.score > 0.999)
        #expect(itself.signals == [.email, .phone, .name, .address, .company])
    }

    @Test("scores are in 0...1 and missing fields count nothing")
    func emptyCandidates() {
        let result = DuplicateFinder.compare(DuplicateCandidate(id: 1), DuplicateCandidate(id: 2))
        #expect(result.score > 0 && result.score < Self.threshold)
        #expect(result.signals.isEmpty)
    }
}
