import ArgumentParser
import CRMCore
import Foundation

/// `crmbench duplicates`: a synthetic registry with known duplicates and hard negatives, searched by
/// ``DuplicateFinder`` in this process; prints time, peak memory and pairwise precision and recall
/// against the truth. With `--csv` it also writes the registry for `crmctl import customers`, the truth
/// in the external ids (`P<person>-<variant>`), for scripts/bench-duplicates.sh.
struct DuplicatesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Measure the duplicate search: precision, recall, time and memory on a synthetic registry."
    )

    @Option(help: "Customers in the registry (persons plus their duplicates).")
    var customers = 100_000
    @Option var seed: UInt64 = 7
    @Option(help: "Write the registry as a customers CSV here.")
    var csv: String?
    @Flag(help: "Also search at thresholds 0.5 … 0.9.")
    var thresholdCurve = false

    func run() throws {
        let registry = SyntheticRegistry(customers: customers, seed: seed)
        print(
            "registry: \(registry.rows.count) customers, \(registry.persons) persons, "
                + "\(registry.truePairs) true duplicate pairs, \(registry.households) households sharing address and phone"
        )
        if let csv { try registry.writeCSV(to: csv) }
        let thresholds =
            thresholdCurve
            ? [0.5, 0.6, DuplicateFinder.defaultThreshold, 0.8, 0.9] : [DuplicateFinder.defaultThreshold]
        for threshold in thresholds {
            let start = ContinuousClock.now
            var finder = DuplicateFinder(threshold: threshold)
            for (index, row) in registry.rows.enumerated() { finder.add(row.candidate(id: Int64(index))) }
            let groups = finder.groups()
            let elapsed = ContinuousClock.now - start
            var predicted = 0
            var correct = 0
            for group in groups {
                let members = group.members.map { registry.rows[Int($0)].person }
                for i in members.indices {
                    for j in members.indices where j > i {
                        predicted += 1
                        if members[i] == members[j] { correct += 1 }
                    }
                }
            }
            let precision = predicted == 0 ? 1 : Double(correct) / Double(predicted)
            let recall = registry.truePairs == 0 ? 1 : Double(correct) / Double(registry.truePairs)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                String(
                    format:
                        "threshold %.2f: %d groups, pairs predicted %d, correct %d; precision %.3f, recall %.3f; %.2f s, peak RSS %.0f MB",
                    threshold,
                    groups.count,
                    predicted,
                    correct,
                    precision,
                    recall,
                    seconds,
                    Self.peakRSSMegabytes()
                )
            )
        }
    }

    static func peakRSSMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }
}

/// Persons, some entered two or three times with the slips people make, and households whose members
/// share a family name, an address and a landline but are different people.
struct SyntheticRegistry {
    struct Row {
        var person: Int
        var variant: Int
        var displayName: String
        var email: String
        var phone: String
        var company: String
        var street: String
        var postalCode: String
        var city: String
        var country: String

        func candidate(id: Int64) -> DuplicateCandidate {
            DuplicateCandidate(
                id: id,
                displayName: displayName,
                email: email,
                phone: phone,
                company: company,
                street: street,
                postalCode: postalCode,
                city: city,
                country: country
            )
        }
    }

    private(set) var rows: [Row] = []
    private(set) var persons = 0
    private(set) var truePairs = 0
    private(set) var households = 0

    static let syllables = [
        "ber", "ger", "mann", "hof", "lin", "sch", "mid", "wal", "ter", "hu", "ber", "kra", "mer", "no", "vak", "ros",
        "si", "du", "bois", "kow", "al", "ski", "jen", "sen", "ok", "af", "or", "tan", "ak", "sil", "va", "lar", "ka",
        "ya", "we", "fi", "scher", "mey", "wag", "ner", "beck", "hoff", "brun", "stein", "feld", "dorf", "bach", "mül",
        "ler", "kö", "nig", "zim", "mer",
    ]
    static let givenNames = [
        "Anna", "Ben", "Chen", "Dana", "Emil", "Fatima", "Georg", "Hana", "Ivan", "Julia", "Karl", "Lena", "Mohammed",
        "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Uwe", "Vera", "Wei", "Xenia", "Yusuf", "Zoe",
        "Andreas", "Birgit", "Claudia", "Dieter", "Elke", "Frank", "Gabriele", "Helmut", "Ingrid", "Jürgen", "Klaus",
        "Monika", "Norbert", "Petra", "Renate", "Stefan", "Thomas", "Ursula", "Werner", "Sabine", "Michael", "Sandra",
        "Markus", "Martina", "Tobias", "Katrin", "Lukas", "Lea", "Jonas", "Marie", "Felix", "Sophie", "Maximilian",
        "Hannah", "Paul", "Emma", "Leon", "Mia", "Finn", "Lina", "Elias", "Clara", "Noah", "Ida", "Matteo", "Greta",
    ]
    static let domains = ["example.com", "example.org", "gmail.com", "web.de", "posteo.de", "mail.at"]
    static let companySuffixes = ["GmbH", "AG", "KG", "e.K.", ""]

    init(customers: Int, seed: UInt64) {
        var random = SplitMix64(state: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func word(_ parts: Int) -> String {
            var text = ""
            for _ in 0..<parts { text += pick(Self.syllables) }
            return text.prefix(1).uppercased() + text.dropFirst()
        }
        // About 1,500 cities of up to 20,000 people each at a million customers.
        let cities = (0..<max(20, customers / 700)).map { _ in word(2) + pick(["", "burg", "stadt", "au", "heim"]) }

        while rows.count < customers {
            let person = persons
            persons += 1
            let given = pick(Self.givenNames)
            let family = word(2 + Int(random.next() % 2))
            let cityIndex = Int(random.next() % UInt64(cities.count))
            let country = pick(["DE", "DE", "DE", "AT", "CH"])
            let prefix = ["DE": "+49", "AT": "+43", "CH": "+41"][country]!
            let base = Row(
                person: person,
                variant: 0,
                displayName: "\(given) \(family)",
                email: "\(given.lowercased()).\(family.lowercased())\(person % 97)@\(pick(Self.domains))"
                    .folding(options: .diacriticInsensitive, locale: nil),
                phone: "\(prefix)\(150 + random.next() % 30)\(1_000_000 + random.next() % 8_999_999)",
                company: chance(40)
                    ? "\(word(2)) \(pick(Self.companySuffixes))".trimmingCharacters(in: .whitespaces) : "",
                street: "\(word(2))\(pick(["straße", "str.", "weg", "gasse", "platz"])) \(1 + random.next() % 120)",
                postalCode: String(format: "%05d", 10_000 + cityIndex * 37 % 89_000),
                city: cities[cityIndex],
                country: country
            )
            rows.append(base)

            // 10 % of persons were entered again, once or twice, each time with one to three slips, but
            // keeping at least two of email, phone and address.
            if chance(10) {
                let copies = chance(25) ? 2 : 1
                for copy in 1...copies {
                    var row = base
                    row.variant = copy
                    var kept = Set(["email", "phone", "address"])
                    for _ in 0..<(1 + random.next() % 3) {
                        switch random.next() % 9 {
                        case 0: row.displayName = Self.typo(row.displayName, &random)
                        case 1: row.displayName = "\(family) \(given)"
                        case 2: row.displayName = row.displayName.uppercased()
                        case 3:
                            row.displayName = row.displayName.replacingOccurrences(of: "ü", with: "ue")
                                .replacingOccurrences(of: "ö", with: "oe")
                        case 4 where row.email.hasSuffix("@gmail.com"):
                            row.email = row.email.replacingOccurrences(
                                of: ".",
                                with: "",
                                options: [],
                                range: row.email.startIndex..<row.email.firstIndex(of: "@")!
                            )
                            .replacingOccurrences(of: "@", with: "+shop@")
                        case 5 where kept.count > 2:
                            kept.remove("email")
                            row.email =
                                chance(50)
                                ? ""
                                : "\(given.prefix(1).lowercased())\(family.lowercased())@\(pick(Self.domains))"
                                    .folding(options: .diacriticInsensitive, locale: nil)
                        case 6 where kept.count > 2:
                            kept.remove("phone")
                            row.phone =
                                chance(50)
                                ? "" : "\(prefix)\(150 + random.next() % 30)\(1_000_000 + random.next() % 8_999_999)"
                        case 7 where kept.count > 2:
                            kept.remove("address")
                            (row.street, row.postalCode, row.city) = ("", "", "")
                        case 8: row.company = row.company.isEmpty ? "\(word(2)) GmbH" : ""
                        default: row.street = row.street.replacingOccurrences(of: "straße", with: "str.")
                        }
                    }
                    rows.append(row)
                }
                truePairs += copies == 2 ? 3 : 1
            }
            // 3 % live with a relative: same family name, address and landline, another given name and email.
            if chance(3) {
                households += 1
                let relative = persons
                persons += 1
                var row = base
                row.person = relative
                var other = pick(Self.givenNames)
                while other == given { other = pick(Self.givenNames) }
                row.displayName = "\(other) \(family)"
                row.email =
                    chance(50)
                    ? ""
                    : "\(other.lowercased()).\(family.lowercased())@\(pick(Self.domains))".folding(
                        options: .diacriticInsensitive,
                        locale: nil
                    )
                row.company = ""
                rows.append(row)
            }
        }
        if rows.count > customers { rows.removeLast(rows.count - customers) }
        // Truncating may cut a duplicate off its person: count the true pairs from the rows themselves.
        var sizes: [Int: Int] = [:]
        for row in rows { sizes[row.person, default: 0] += 1 }
        truePairs = sizes.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 }
    }

    /// One slip of the keyboard: two neighbouring letters swapped, or one dropped.
    static func typo(_ name: String, _ random: inout SplitMix64) -> String {
        var letters = Array(name)
        guard letters.count > 4 else { return name }
        let at = 1 + Int(random.next() % UInt64(letters.count - 2))
        if random.next() % 2 == 0 {
            letters.swapAt(at, at + 1)
        } else {
            letters.remove(at: at)
        }
        return String(letters)
    }

    func writeCSV(to path: String) throws {
        var text = "external_id,display_name,email,phone,company,street,city,postal_code,country\n"
        text.reserveCapacity(rows.count * 120)
        for row in rows {
            let fields = [
                "P\(row.person)-\(row.variant)", row.displayName, row.email, row.phone, row.company, row.street,
                row.city,
                row.postalCode, row.country,
            ]
            text += fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
