import CRMProto
import Foundation
import Testing

@Suite("Imports that fit what exists: --match, --dry-run, --skip-invalid")
struct ImportMatchTests {
    /// Writes `text` to a file in the daemon's folder and returns its path.
    func file(_ daemon: Daemon, _ name: String, _ text: String) throws -> String {
        let path = daemon.root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("rows without an external id update the customer with their email or phone; a dry run writes nothing")
    func matchByEmailAndPhone() async throws {
        try await withDaemon { daemon in
            let anna = try await daemon.createCustomer(Fixture.customer("Anna Berger", email: "anna@example.org"))
            let bert = try await daemon.createCustomer(
                Fixture.customer("Bert Huber", phone: "+43 316 123456", country: "AT")
            )
            try await daemon.createCustomer(Fixture.customer("Carla One", phone: "+49 30 5550100", country: "DE"))
            try await daemon.createCustomer(Fixture.customer("Carla Two", phone: "+49 30 5550100", country: "DE"))
            let byEmail = try file(
                daemon,
                "email.csv",
                "display_name,email,company\nAnna Berger,ANNA@example.org,Berger KG\nNew Person,new@example.org,\n"
            )

            let dryRun = try await daemon.crmctl([
                "import", "customers", byEmail, "--match", "email", "--dry-run", "-o", "table",
            ])
            #expect(
                dryRun.succeeded && dryRun.stdout.contains("1 created, 1 updated, 0 unchanged, 0 failed"),
                "\(dryRun)"
            )
            #expect(try await daemon.getCustomer(anna.name) == anna, "a dry run wrote nothing")
            #expect(try await daemon.listCustomers().customers.count == 4)

            // Without --match the same file creates a second Anna: refused, her email is taken.
            let unmatched = try await daemon.crmctl(["import", "customers", byEmail, "-o", "table"])
            #expect(unmatched.exitCode == 1 && unmatched.stderr.contains("line 2: customer.email"), "\(unmatched)")

            let matched = try await daemon.crmctl(["import", "customers", byEmail, "--match", "email", "-o", "table"])
            #expect(matched.succeeded && matched.stdout.contains("1 created, 1 updated"), "\(matched)")
            let updated = try await daemon.getCustomer(anna.name)
            #expect(updated.company == "Berger KG" && updated.email == "anna@example.org")
            let again = try await daemon.crmctl(["import", "customers", byEmail, "--match", "email", "-o", "table"])
            #expect(
                again.stdout.contains("0 created, 0 updated, 2 unchanged"),
                "a second run changes nothing: \(again)"
            )

            let byPhone = try file(
                daemon,
                "phone.csv",
                "display_name,phone,country,company\nBert Huber,0316 123456,AT,Huber OG\nCarla,030 5550100,DE,\n"
            )
            let phones = try await daemon.crmctl([
                "import", "customers", byPhone, "--match", "phone", "--skip-invalid", "-o", "table",
            ])
            #expect(phones.exitCode == 1, "\(phones)")
            #expect(phones.stderr.contains("line 3: customer.phone: matches customers/3 and customers/4"), "\(phones)")
            #expect(phones.stdout.contains("0 created, 1 updated, 0 unchanged, 1 failed"), "\(phones)")
            #expect(try await daemon.getCustomer(bert.name).company == "Huber OG")
            let verified = try await daemon.crmctl(["audit", "verify", "-o", "table"])
            #expect(verified.succeeded, "\(verified)")
        }
    }

    @Test("--skip-invalid writes the valid rows and reports the rest by line; without it nothing is written")
    func skipInvalid() async throws {
        try await withDaemon { daemon in
            let csv = try file(
                daemon,
                "mixed.csv",
                """
                external_id,display_name,email,customer_since
                A1,First Good,first@example.org,
                A2,Bad Mail,not-an-email,
                A3,Unreadable Date,,31/02/2020
                A4,Second Good,second@example.org,

                """
            )
            let refused = try await daemon.crmctl(["import", "customers", csv, "-o", "table"])
            #expect(refused.exitCode == 2 && refused.stderr.contains("nothing was sent"), "\(refused)")
            #expect(try await daemon.listCustomers().customers.isEmpty)

            let skipped = try await daemon.crmctl([
                "import", "customers", csv, "--skip-invalid", "--no-atomic", "-o", "table",
            ])
            #expect(skipped.exitCode == 1, "\(skipped)")
            #expect(skipped.stderr.contains("line 4"), "the unreadable date is named by line: \(skipped)")
            #expect(skipped.stderr.contains("line 3: customer.email"), "the bad email is named by line: \(skipped)")
            #expect(skipped.stdout.contains("2 created, 0 updated, 0 unchanged, 1 failed, 0 rejected"), "\(skipped)")
            let names = try await daemon.listCustomers().customers.map(\.displayName).sorted()
            #expect(names == ["First Good", "Second Good"])
            let verified = try await daemon.crmctl(["audit", "verify", "-o", "table"])
            #expect(verified.succeeded, "the chain has no hole where the failed row was: \(verified)")
        }
    }
}
