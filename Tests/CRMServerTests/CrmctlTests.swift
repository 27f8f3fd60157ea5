import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// Reads a field of crmctl's JSON output, in snake_case or lowerCamelCase.
func jsonField(_ object: [String: Any], _ snakeCase: String) -> Any? {
    if let value = object[snakeCase] { return value }
    let parts = snakeCase.split(separator: "_")
    let camel =
        parts.first.map(String.init)! + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    return object[camel]
}

/// crmctl's JSON output as a list of objects: a bare object, an array, or an
/// object wrapping an array (e.g. `{"customers": [...]}`).
func jsonObjects(_ text: String, key: String) throws -> [[String: Any]] {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    if let array = parsed as? [[String: Any]] { return array }
    if let object = parsed as? [String: Any] {
        if let inner = object[key] as? [[String: Any]] { return inner }
        return [object]
    }
    throw HarnessError("unexpected JSON: \(text.prefix(500))")
}

@Suite("crmctl against a real daemon")
struct CrmctlTests {
    @Test("completion prints a script each shell accepts, naming the subcommands; another shell is a usage error")
    func completion() async throws {
        let scratch = try Daemon.makeTempDirectory(prefix: "crmctl-comp")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for (shell, check) in [("bash", ["-n"]), ("zsh", []), ("fish", [])] {
            let printed = try await runCrmctl(["completion", shell], scratch: scratch)
            try #require(printed.succeeded, "\(shell): \(printed)")
            for word in ["customer", "analysis", "job", "socket"] {
                #expect(printed.stdout.contains(word), "\(shell) script lacks \(word)")
            }
            // bash parses the script without running it; zsh and fish may not be installed.
            if !check.isEmpty {
                let path = scratch + "/crmctl.\(shell)"
                try printed.stdout.write(toFile: path, atomically: true, encoding: .utf8)
                let parsed = try await runCommand("/bin/bash", check + [path], scratch: scratch)
                #expect(parsed.succeeded, "bash -n: \(parsed)")
            }
        }
        // What the man pages are made from (swift-argument-parser's generate-manual reads this).
        let dump = try await runCrmctl(["--experimental-dump-help"], scratch: scratch)
        try #require(dump.succeeded, "\(dump)")
        let help = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(help["command"] as? [String: Any], "\(help.keys)")
        let nouns = ((command["subcommands"] as? [[String: Any]]) ?? []).compactMap { $0["commandName"] as? String }
        #expect(
            Set(["customer", "order", "payment", "interaction", "analysis", "completion"]).isSubset(of: nouns),
            "\(nouns)"
        )
        let refused = try await runCrmctl(["completion", "tcsh"], scratch: scratch)
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("expected bash, zsh or fish"), "\(refused)")
    }

    @Test("lists: references by name, -o wide adds external ids, --no-headers, an empty list is [] not {}")
    func listOutputs() async throws {
        try await withDaemon { daemon in
            let ada = try await daemon.createCustomer(
                Fixture.customer("Ada", email: "ada@example.com", externalID: "C-1")
            )
            _ = try await daemon.createOrder(
                Fixture.order(
                    customerExternalID: "C-1",
                    externalID: "O-1",
                    items: [Fixture.lineItem("Book", category: "books", quantity: 1, unitPrice: 900)]
                )
            )
            let table = try await daemon.crmctl(["order", "list", "-o", "table"])
            try #require(table.succeeded, "\(table)")
            let tableLines = table.stdout.split(separator: "\n")
            #expect(tableLines.first?.hasPrefix("NAME") == true)
            #expect(tableLines.last?.contains(ada.name) == true, "the customer by its name: \(table.stdout)")
            #expect(!table.stdout.contains("C-1"), "no external id in the plain table: \(table.stdout)")

            let wide = try await daemon.crmctl(["order", "list", "-o", "wide"])
            #expect(wide.stdout.contains("CUSTOMER EXTERNAL ID") && wide.stdout.contains("C-1"), "\(wide.stdout)")
            #expect(wide.stdout.contains(ada.name) && wide.stdout.contains("books"), "\(wide.stdout)")

            let bare = try await daemon.crmctl(["order", "list", "-o", "table", "--no-headers"])
            #expect(bare.stdout.split(separator: "\n").count == 1 && bare.stdout.hasPrefix("orders/"), "\(bare.stdout)")
            let csv = try await daemon.crmctl(["customer", "list", "-o", "csv", "--no-headers"])
            #expect(csv.stdout.hasPrefix(ada.name + ",C-1,Ada,"), "\(csv.stdout)")

            let empty = try await daemon.crmctl(["payment", "list", "-o", "json"])
            try #require(empty.succeeded, "\(empty)")
            #expect(empty.stdout == "{\"payments\":[]}\n", "\(empty.stdout)")
            let emptyTable = try await daemon.crmctl(["interaction", "list", "-o", "table"])
            #expect(
                emptyTable.stdout.hasPrefix("NAME") && emptyTable.stderr.contains("no interactions found"),
                "\(emptyTable)"
            )
        }
    }

    @Test("update --add-tag/--remove-tag/--set-attr/--unset-attr change one and keep the rest")
    func oneAtATime() async throws {
        try await withDaemon { daemon in
            let made = try await daemon.createCustomer(
                Fixture.customer(
                    "Ada",
                    tags: ["vip", "newsletter"],
                    attributes: ["industry": "software", "tier": "gold"]
                )
            )
            let changed = try await daemon.crmctl([
                "customer", "update", made.name, "--add-tag", "key-account", "--add-tag", "vip", "--remove-tag",
                "newsletter", "--set-attr", "tier=platinum", "--set-attr", "region=dach", "--unset-attr", "industry",
                "-o", "json",
            ])
            try #require(changed.succeeded, "\(changed)")
            let read = try await daemon.customers.getCustomer(.with { $0.name = made.name })
            #expect(read.tags == ["key-account", "vip"], "tags are kept sorted")
            #expect(read.attributes == ["tier": "platinum", "region": "dach"])

            let stale = try await daemon.crmctl([
                "customer", "update", made.name, "--add-tag", "x", "--etag", made.etag,
            ])
            #expect(stale.exitCode == 4, "a given etag is kept, not refreshed: \(stale)")
            let mixed = try await daemon.crmctl(["customer", "update", made.name, "--add-tag", "x", "--tag", "y"])
            #expect(mixed.exitCode == 2, "\(mixed)")
            let badTag = try await daemon.crmctl(["customer", "update", made.name, "--add-tag", "no spaces"])
            #expect(badTag.exitCode == 2 && badTag.stderr.contains("tags"), "\(badTag)")
            #expect(
                try await daemon.customers.getCustomer(.with { $0.name = made.name }).tags == ["key-account", "vip"]
            )
        }
    }

    @Test("customer create, get and list with -o json")
    func createGetList() async throws {
        try await withDaemon { daemon in
            let created = try await daemon.crmctl(
                ["customer", "create", "--display-name", "Cli Person", "--email", "Cli@Example.com", "-o", "json"]
            )
            try #require(created.succeeded, "\(created)")
            let object = try #require(try jsonObjects(created.stdout, key: "customers").first)
            let name = try #require(jsonField(object, "name") as? String, "\(object)")
            #expect(name.hasPrefix("customers/"))
            #expect(jsonField(object, "display_name") as? String == "Cli Person")
            #expect(jsonField(object, "email") as? String == "cli@example.com")

            let stored = try await daemon.getCustomer(name)
            #expect(stored.displayName == "Cli Person")

            let got = try await daemon.crmctl(["customer", "get", name, "-o", "json"])
            try #require(got.succeeded, "\(got)")
            let gotObject = try #require(try jsonObjects(got.stdout, key: "customers").first)
            #expect(jsonField(gotObject, "name") as? String == name)
            #expect(jsonField(gotObject, "email") as? String == "cli@example.com")

            try await daemon.createCustomer(Fixture.customer("Grpc Person"))
            let listed = try await daemon.crmctl(["customer", "list", "-o", "json"])
            try #require(listed.succeeded, "\(listed)")
            let names = try jsonObjects(listed.stdout, key: "customers").compactMap {
                jsonField($0, "display_name") as? String
            }
            #expect(Set(names) == ["Cli Person", "Grpc Person"])

            for format in ["csv", "table"] {
                let shown = try await daemon.crmctl(["customer", "list", "-o", format])
                #expect(shown.succeeded, "-o \(format): \(shown)")
                #expect(
                    shown.stdout.contains("Cli Person") && shown.stdout.contains("Grpc Person"),
                    "-o \(format): \(shown)"
                )
                if format == "csv" {
                    #expect(shown.stdout.split(separator: "\n").first?.contains("display_name") == true, "CSV header")
                }
            }

            let missing = try await daemon.crmctl(["customer", "get", "customers/999999"])
            #expect(missing.exitCode != 0 && missing.exitCode != nil, "\(missing)")
            #expect(missing.stderr.lowercased().contains("not found"), "one clear line: \(missing.stderr)")

            let invalid = try await daemon.crmctl(["customer", "create", "--display-name", "X", "--email", "nope"])
            #expect(invalid.exitCode != 0 && invalid.exitCode != nil, "\(invalid)")
            #expect(invalid.stderr.contains("email"), "names the field: \(invalid.stderr)")
        }
    }

    @Test("--socket names the daemon, before the noun (crmctl --socket PATH customer list) and after the verb")
    func socketFlag() async throws {
        try await withDaemon { daemon in
            try await daemon.createCustomer(Fixture.customer("Flagged"))
            let elsewhere = ["CRMD_SOCKET": daemon.root + "/nothing-here.sock"]
            let after = try await daemon.crmctl(
                ["customer", "list", "--socket", daemon.socketPath, "-o", "json"],
                environment: elsewhere
            )
            #expect(after.succeeded, "\(after)")
            #expect(after.stdout.contains("Flagged"))
            let before = try await daemon.crmctl(
                ["--socket", daemon.socketPath, "customer", "list", "-o", "json"],
                environment: elsewhere
            )
            #expect(before.succeeded, "\(before)")
            #expect(before.stdout.contains("Flagged"))

            let missing = try await daemon.crmctl(["customer", "list"], environment: elsewhere)
            #expect(missing.exitCode != nil && missing.exitCode != 0, "\(missing)")
            #expect(missing.stderr.contains("nothing-here.sock"), "says which socket it tried: \(missing.stderr)")
        }
    }

    @Test(
        "CSV round trip: demo data exported from one daemon and imported into a fresh one exports identically",
        .timeLimit(.minutes(4))
    )
    func csvRoundTrip() async throws {
        try await withDaemon(logLevel: "info") { source in
            let demo = try await source.crmctl(["demo", "--customers", "50", "--seed", "7"])
            try #require(demo.succeeded, "\(demo)")
            let demoStats = try await source.stats()
            #expect(demoStats.customers == 50)
            #expect(demoStats.orders > 0 && demoStats.payments > 0 && demoStats.interactions > 0, "\(demoStats)")

            let kinds = ["customers", "orders", "payments", "interactions"]
            for kind in kinds {
                let exported = try await source.crmctl(["export", kind, "\(source.root)/a-\(kind).csv"])
                try #require(exported.succeeded, "export \(kind): \(exported)")
            }
            let customerLines = try String(contentsOfFile: "\(source.root)/a-customers.csv", encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: true)
            #expect(customerLines.count == 51, "header plus 50 customers")
            #expect(
                customerLines.first?.hasPrefix(
                    "name,external_id,display_name,email,phone,company,street,city,region,postal_code,country,tags,lifecycle_stage,customer_since"
                ) == true,
                "\(customerLines.first ?? "")"
            )

            try await withDaemon(logLevel: "info") { target in
                for kind in kinds {
                    let imported = try await target.crmctl(["import", kind, "\(source.root)/a-\(kind).csv"])
                    try #require(imported.succeeded, "import \(kind): \(imported)")
                }
                let targetStats = try await target.stats()
                #expect(targetStats.customers == demoStats.customers)
                #expect(targetStats.orders == demoStats.orders)
                #expect(targetStats.payments == demoStats.payments)
                #expect(targetStats.interactions == demoStats.interactions)
                for kind in kinds {
                    let exported = try await target.crmctl(["export", kind, "\(target.root)/b-\(kind).csv"])
                    try #require(exported.succeeded, "export \(kind) from B: \(exported)")
                    let a = try Data(contentsOf: URL(fileURLWithPath: "\(source.root)/a-\(kind).csv"))
                    let b = try Data(contentsOf: URL(fileURLWithPath: "\(target.root)/b-\(kind).csv"))
                    #expect(a.count > 0)
                    #expect(a == b, "\(kind).csv differs after the round trip: \(firstDifference(a, b))")
                }
                // Importing the same files again changes nothing.
                let again = try await target.crmctl(["import", "customers", "\(source.root)/a-customers.csv"])
                #expect(again.succeeded, "\(again)")
                #expect(try await target.stats().customers == 50)
            }
        }
    }

    @Test("a malformed CSV row is reported with its line number, exits non-zero, and nothing is imported")
    func malformedCSV() async throws {
        try await withDaemon { daemon in
            let header =
                "external_id,display_name,email,phone,company,street,city,region,postal_code,country,tags,lifecycle_stage,customer_since"
            let csv =
                [
                    header,
                    "E-1,Good One,good1@example.com,,,,,,,,vip,lead,",
                    "E-2,Good Two,good2@example.com,,,,,,,,,,",
                    "E-3,Only three,fields",
                    "E-4,Good Four,good4@example.com,,,,,,,,,,",
                ].joined(separator: "\n") + "\n"
            let path = daemon.root + "/bad.csv"
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await daemon.crmctl(["import", "customers", path])
            #expect(result.exitCode != nil && result.exitCode != 0, "\(result)")
            let output = result.stdout + result.stderr
            #expect(output.contains(/(?i)line\W{0,2}4\b|:4:/), "the line number (4) is reported: \(result)")
            #expect(try await daemon.stats().customers == 0, "nothing of the file is imported")

            let good = [header, "E-1,Good One,good1@example.com,,,,,,,,vip,lead,"].joined(separator: "\n") + "\n"
            try good.write(toFile: path, atomically: true, encoding: .utf8)
            let ok = try await daemon.crmctl(["import", "customers", path])
            #expect(ok.succeeded, "\(ok)")
            #expect(try await daemon.stats().customers == 1)
        }
    }
}

/// Where two files first differ, for failure messages.
func firstDifference(_ a: Data, _ b: Data) -> String {
    let linesA = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let linesB = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for (index, (x, y)) in zip(linesA, linesB).enumerated() where x != y {
        return "line \(index + 1):\n  A: \(x)\n  B: \(y)"
    }
    return "A has \(linesA.count) lines, B has \(linesB.count)"
}
