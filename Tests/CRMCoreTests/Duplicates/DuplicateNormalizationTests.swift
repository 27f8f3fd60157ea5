import CRMCore
import Testing

@Suite("DuplicateNormalization")
struct DuplicateNormalizationTests {
    @Test(
        "email keys drop Gmail's dots, every +tag, and read googlemail as gmail",
        arguments: [
            ("anna.berger@gmail.com", "annaberger@gmail.com"),
            ("a.n.n.a.berger+shop@gmail.com", "annaberger@gmail.com"),
            ("anna.berger@googlemail.com", "annaberger@gmail.com"),
            ("Anna.Berger@GoogleMail.com", "annaberger@gmail.com"),
            // Only Gmail ignores dots; every provider gets its +tag dropped.
            ("anna.berger+news@web.de", "anna.berger@web.de"),
            ("anna.berger@web.de", "anna.berger@web.de"),
            ("", ""),
            ("no-at-sign", "no-at-sign"),
        ]
    )
    func emailKey(email: String, expected: String) {
        #expect(DuplicateNormalization.emailKey(email) == expected)
    }

    @Test(
        "name tokens are case- and accent-folded and split on everything but letters",
        arguments: [
            ("José MÜLLER", ["jose", "muller"]),
            ("Jürgen Weiß", ["jurgen", "weiss"]),
            ("Berger, Anna-Lena", ["berger", "anna", "lena"]),
            ("  Zoë  O'Brien ", ["zoe", "o", "brien"]),
            ("Łukasz Wiśniewski", ["lukasz", "wisniewski"]),
            ("R2-D2", ["r", "d"]),
            ("", []),
        ]
    )
    func nameTokens(name: String, expected: [String]) {
        #expect(DuplicateNormalization.nameTokens(name) == expected)
    }

    @Test("Latin letters fold as Foundation folds them")
    func latinFastPath() {
        // A combining accent sends the whole name through Foundation's folding; without it, Latin letters are
        // folded from a table.
        for value in 0xC0...0x24F {
            guard let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic else {
                continue
            }
            let table = DuplicateNormalization.nameTokens("x\(scalar)y")
            #expect(table == DuplicateNormalization.nameTokens("x\(scalar)y\u{301}"), "U+\(String(value, radix: 16))")
        }
    }

    @Test("swapped names have the same sorted tokens")
    func swappedTokens() {
        let tokens = DuplicateNormalization.nameTokens("Anna Müller").sorted()
        #expect(DuplicateNormalization.nameTokens("MÜLLER, Anna").sorted() == tokens)
        #expect(DuplicateNormalization.nameTokens("müller anna").sorted() == tokens)
        #expect(DuplicateNormalization.nameTokens("Anna Miller").sorted() != tokens)
    }

    @Test(
        "phone keys are the digits, or empty below seven",
        arguments: [("+4930123456", "4930123456"), ("+49 (30) 123-456", "4930123456"), ("+491234", ""), ("", "")]
    )
    func phoneKey(phone: String, expected: String) {
        #expect(DuplicateNormalization.phoneKey(phone) == expected)
    }

    @Test(
        "Jaro-Winkler matches the published values",
        arguments: [
            ("MARTHA", "MARHTA", 0.961),
            ("DWAYNE", "DUANE", 0.840),
            ("DIXON", "DICKSONX", 0.813),
            ("CRATE", "TRACE", 0.733),
        ]
    )
    func jaroWinkler(a: String, b: String, expected: Double) {
        #expect(abs(DuplicateNormalization.jaroWinkler(a, b) - expected) < 0.0005)
        #expect(abs(DuplicateNormalization.jaroWinkler(b, a) - expected) < 0.0005)
    }

    @Test("Jaro-Winkler is 1 for equal strings and 0 without common letters")
    func jaroWinklerEnds() {
        #expect(DuplicateNormalization.jaroWinkler("Anna", "Anna") == 1)
        #expect(DuplicateNormalization.jaroWinkler("", "") == 1)
        #expect(DuplicateNormalization.jaroWinkler("abc", "") == 0)
        #expect(DuplicateNormalization.jaroWinkler("abc", "xyz") == 0)
        // Case is not folded: fold first.
        #expect(DuplicateNormalization.jaroWinkler("anna", "ANNA") == 0)
    }

    @Test("company keys drop legal forms, case and punctuation")
    func companyKey() {
        #expect(DuplicateNormalization.companyKey("Acme GmbH") == "acme")
        #expect(DuplicateNormalization.companyKey("ACME Gesellschaft") == "acme")
        #expect(DuplicateNormalization.companyKey("Acme GmbH & Co. KG") == "acme")
        #expect(DuplicateNormalization.companyKey("Acme Logistics Ltd") == "acme logistics")
        #expect(DuplicateNormalization.companyKey("GmbH") == "")
    }

    @Test("street keys write Straße, Str. and strasse one way")
    func streetKey() {
        let key = DuplicateNormalization.streetKey("Hauptstraße 5")
        #expect(key == "hauptstr5")
        #expect(DuplicateNormalization.streetKey("Hauptstr. 5") == key)
        #expect(DuplicateNormalization.streetKey("Haupt-Str. 5") == key)
        #expect(DuplicateNormalization.streetKey("HAUPTSTRASSE 5") == key)
        #expect(DuplicateNormalization.streetKey("Hauptstraße 15") != key)
        #expect(DuplicateNormalization.streetKey("12 Main Street") == DuplicateNormalization.streetKey("12 Main St."))
    }

    @Test("place keys fold case, accents, spaces and spelt-out umlauts")
    func placeKey() {
        #expect(DuplicateNormalization.placeKey("München") == DuplicateNormalization.placeKey("Muenchen"))
        #expect(DuplicateNormalization.placeKey("SW1A 1AA") == "sw1a1aa")
    }
}
