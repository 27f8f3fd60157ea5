import CRMCore
import Testing

@Suite("DuplicateFinder")
struct DuplicateFinderTests {
    /// One person three times: 1 and 2 share a Gmail mailbox, 2 and 3 a phone; 1 and 3 only the name.
    static let threeRecords = [
        DuplicateCandidate(id: 1, displayName: "Anna Berger", email: "anna.berger@gmail.com", city: "Berlin"),
        DuplicateCandidate(
            id: 2,
            displayName: "Anna Bergr",
            email: "annaberger+shop@gmail.com",
            phone: "+4930123456",
            city: "Berlin"
        ),
        DuplicateCandidate(id: 3, displayName: "Berger, Anna", phone: "+4930123456", city: "Berlin"),
    ]

    static func finder(
        _ candidates: [DuplicateCandidate],
        threshold: Double = DuplicateFinder.defaultThreshold
    )
        -> DuplicateFinder
    {
        var finder = DuplicateFinder(threshold: threshold)
        for candidate in candidates {
            finder.add(candidate)
        }
        return finder
    }

    @Test("three records of one person are one group, scored by its weakest link")
    func clusterOfThree() throws {
        let records = Self.threeRecords
        let groups = Self.finder(records).groups()
        try #require(groups.count == 1)
        let group = groups[0]
        #expect(group.members == [1, 2, 3])
        #expect(group.pairs.map { [$0.first, $0.second] } == [[1, 2], [2, 3]])
        let links = [DuplicateFinder.compare(records[0], records[1]), DuplicateFinder.compare(records[1], records[2])]
        #expect(group.pairs.map(\.score) == links.map(\.score))
        #expect(group.score == links.map(\.score).min())
        #expect(group.signals == [.emailVariant, .phone, .name, .swappedName])
        // 1 and 3 alone would not be a match: the group holds through 2.
        #expect(DuplicateFinder.compare(records[0], records[2]).score < DuplicateFinder.defaultThreshold)
    }

    @Test("a pair below the threshold makes no group; a lower threshold takes it")
    func threshold() {
        let pair = [
            DuplicateCandidate(id: 1, displayName: "Anna Berger", postalCode: "10115"),
            DuplicateCandidate(id: 2, displayName: "Anna Berger", street: "Hauptstraße 5", postalCode: "10115"),
        ]
        let score = DuplicateFinder.compare(pair[0], pair[1]).score
        #expect(Self.finder(pair, threshold: score + 0.01).groups().isEmpty)
        let groups = Self.finder(pair, threshold: score).groups()
        #expect(groups.map(\.members) == [[1, 2]])
        #expect(groups.first?.score == score)
    }

    @Test("groups come by score, strongest first, then by first member")
    func order() {
        var candidates: [DuplicateCandidate] = []
        // Weaker pair (name, address, other emails) with the smaller ids, stronger ones (same mailbox) after.
        candidates.append(
            DuplicateCandidate(
                id: 10,
                displayName: "Otto Lind",
                email: "otto@a.de",
                street: "Weg 1",
                postalCode: "20095"
            )
        )
        candidates.append(
            DuplicateCandidate(
                id: 11,
                displayName: "Otto Lind",
                email: "lind@b.de",
                street: "Weg 1",
                postalCode: "20095"
            )
        )
        candidates.append(DuplicateCandidate(id: 30, displayName: "Eva Roth", email: "eva.roth@web.de"))
        candidates.append(DuplicateCandidate(id: 31, displayName: "Eva Roth", email: "eva.roth+x@web.de"))
        candidates.append(DuplicateCandidate(id: 20, displayName: "Ida Kern", email: "ida.kern@web.de"))
        candidates.append(DuplicateCandidate(id: 21, displayName: "Ida Kern", email: "ida.kern+y@web.de"))
        let groups = Self.finder(candidates).groups()
        #expect(groups.map(\.members) == [[20, 21], [30, 31], [10, 11]])
        #expect(groups[0].score == groups[1].score)
        #expect(groups[1].score > groups[2].score)
    }

    @Test("the same candidates give the same groups, in any order of adding")
    func deterministic() {
        var candidates = Self.threeRecords
        for index in 0..<300 {
            let id = Int64(100 + index)
            candidates.append(
                DuplicateCandidate(
                    id: id,
                    displayName: "Person\(Self.letters(index)) Muster",
                    email: index % 3 == 0 ? "p\(index / 3)@example.com" : "q\(index)@example.com",
                    postalCode: "10115"
                )
            )
        }
        let groups = Self.finder(candidates).groups()
        #expect(!groups.isEmpty)
        #expect(Self.finder(candidates).groups() == groups)
        #expect(Self.finder(candidates.reversed()).groups() == groups)
    }

    @Test("an exact-email duplicate is found inside a block far over the size cap")
    func hugeBlock() throws {
        // 600 Müllers in one postal code: the block of the surname and postal code is compared only within a
        // sliding window by name, where "A. Müller" and "Anna Müller" are 600 names apart. The email key finds
        // them.
        var candidates: [DuplicateCandidate] = []
        for index in 0..<600 {
            candidates.append(
                DuplicateCandidate(
                    id: Int64(index + 1),
                    displayName: "Aa\(Self.letters(index)) Müller",
                    email: "mueller\(index)@example.com",
                    phone: "+49301\(100_000 + index)",
                    street: "Hauptstraße \(index + 1)",
                    postalCode: "10115",
                    city: "Berlin",
                    country: "DE"
                )
            )
        }
        candidates.append(
            DuplicateCandidate(
                id: 1001,
                displayName: "A. Müller",
                email: "anna.mueller@example.com",
                postalCode: "10115",
                city: "Berlin"
            )
        )
        candidates.append(
            DuplicateCandidate(
                id: 1002,
                displayName: "Anna Müller",
                email: "anna.mueller@example.com",
                postalCode: "10115",
                city: "Berlin",
                country: "DE"
            )
        )
        let groups = Self.finder(candidates).groups()
        try #require(groups.count == 1)
        #expect(groups[0].members == [1001, 1002])
        #expect(groups[0].signals.contains(.email))
    }

    @Test("progress rises to 1 and no candidates make no groups")
    func progressAndEmpty() {
        var reported: [Double] = []
        #expect(DuplicateFinder().groups { reported.append($0) }.isEmpty)
        #expect(reported.last == 1)
        #expect(reported == reported.sorted())
        #expect(reported.allSatisfy { (0...1).contains($0) })
        #expect(Self.finder([Self.threeRecords[0]]).groups().isEmpty)
        #expect(Self.finder(Self.threeRecords).count == 3)
    }

    /// `index` in letters (`a`, `b`, … `z`, `ba`, …), since name tokens are letters only.
    static func letters(_ index: Int) -> String {
        var index = index
        var result = ""
        repeat {
            result = String(UnicodeScalar(UInt8(97 + index % 26))) + result
            index /= 26
        } while index > 0
        return result
    }
}
