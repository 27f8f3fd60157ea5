import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

/// The change log through a real daemon, crmctl and the sqlite3 tool (docs/audit.md).
@Suite("Audit: the change log names who changed what, verifies, and survives an erasure")
struct AuditTests {
    /// The sqlite3 command-line tool, from Debian's `sqlite3` (scripts/install-deps.sh).
    static let sqlite3 = "/usr/bin/sqlite3"

    /// Runs SQL on the daemon's database with the sqlite3 tool, behind the running daemon's back.
    static func behindTheBack(_ daemon: Daemon, _ sql: String) async throws {
        let result = try await runCommand(sqlite3, [daemon.dataDir + "/crmd.sqlite3", sql], scratch: daemon.root)
        try #require(result.succeeded, "sqlite3: \(result)")
    }

    static func verify(_ daemon: Daemon) async throws -> (result: CommandResult, lines: [String]) {
        let result = try await daemon.crmctl(["audit", "verify", "-o", "table"])
        return (result, result.stdout.split(separator: "\n").map(String.init))
    }

    @Test(
        "history after five updates by two callers shows five changes, each with its caller's uid",
        .enabled(if: getuid() == 0, "needs root to run crmctl under another uid with setpriv")
    )
    func historyNamesCallers() async throws {
        // gid 0 reaches the socket (mode 0660, group root) and holds the writer role.
        try await withDaemon(configuration: "access:\n  writer: { groups: [root] }\n") { daemon in
            let made = try await daemon.createCustomer(Fixture.customer("Hanna History"))
            try FileManager.default.setAttributes([.posixPermissions: 0o711], ofItemAtPath: daemon.root)
            for step in 1...5 {
                let arguments = ["customer", "update", made.name, "--company", "Firm \(step)"]
                let result =
                    step % 2 == 0
                    ? try await runCommand(
                        "/usr/bin/setpriv",
                        ["--reuid", "4242", "--regid", "0", "--clear-groups", BuildProducts.crmctl] + arguments,
                        environment: ["CRMD_SOCKET": daemon.socketPath],
                        scratch: daemon.root
                    )
                    : try await daemon.crmctl(arguments)
                try #require(result.succeeded, "update \(step): \(result)")
            }
            let history = try await daemon.crmctl(["customer", "history", made.name, "-o", "json"])
            try #require(history.succeeded, "\(history)")
            let response = try Crm_V1_ListChangesResponse(jsonString: history.stdout)
            let updates = response.changes.filter { $0.kind == .update }
            #expect(updates.count == 5, "\(response.changes.map(\.kind))")
            #expect(updates.map(\.caller.uid) == [0, 4242, 0, 4242, 0])
            #expect(updates.allSatisfy { $0.method == "/crm.v1.CustomerService/UpdateCustomer" })
            #expect(updates.allSatisfy { $0.caller.executable.hasSuffix("/crmctl") }, "read from /proc/PID/exe")
            for (step, update) in updates.enumerated() {
                let company = update.fields.first { $0.field == "company" }
                #expect(company?.afterJson == "\"Firm \(step + 1)\"")
                #expect(company?.beforeJson == (step == 0 ? "\"\"" : "\"Firm \(step)\""))
            }
            // The table a person reads: one row per changed field, with who and when.
            let table = try await daemon.crmctl(["customer", "history", made.name, "-o", "table"])
            let rows = table.stdout.split(separator: "\n").filter { $0.contains(" company ") }
            #expect(rows.count == 5, "\(table.stdout)")
            #expect(rows.filter { $0.contains(" 4242 ") }.count == 2, "\(table.stdout)")
        }
    }

    @Test("a customer row edited with sqlite3 behind the running daemon is found, naming the revision")
    func editedRecordIsFound() async throws {
        try await withDaemon { daemon in
            let made = try await daemon.createCustomer(Fixture.customer("Rita Row", email: "rita@example.org"))
            _ = try await daemon.customers.updateCustomer(
                .with {
                    $0.customer = made
                    $0.customer.company = "Rowing Ltd"
                    $0.updateMask.paths = ["company"]
                }
            )
            let before = try await Self.verify(daemon)
            #expect(before.result.succeeded, "\(before.result)")
            #expect(before.lines.first?.hasPrefix("2 entries, chain intact, head 2 ") == true, "\(before.lines)")

            let id = made.name.split(separator: "/").last!
            try await Self.behindTheBack(daemon, "UPDATE customers SET email = 'mallory@example.org' WHERE id = \(id)")
            let after = try await Self.verify(daemon)
            #expect(after.result.exitCode == 1, "\(after.result)")
            #expect(
                after.lines.contains {
                    $0.hasPrefix("revision 2, \(made.name): does not match") && $0.hasSuffix("email differs")
                },
                "\(after.lines)"
            )
            #expect(!after.result.stdout.contains("mallory"), "verify names fields, never values")

            // A row no entry describes: inserted behind the daemon's back.
            try await Self.behindTheBack(
                daemon,
                "INSERT INTO customers (display_name, create_time, update_time, version) VALUES ('Ghost', 0, 0, 1)"
            )
            let ghost = try await Self.verify(daemon)
            #expect(ghost.lines.contains { $0.contains("has no change-log entry") }, "\(ghost.lines)")
        }
    }

    @Test("a change-log row edited with sqlite3 behind the running daemon is found, naming the revision")
    func editedEntryIsFound() async throws {
        try await withDaemon { daemon in
            for index in 1...4 {
                _ = try await daemon.createCustomer(Fixture.customer("Log \(index)", company: "Company \(index)"))
            }
            let refused = try await runCommand(
                Self.sqlite3,
                [daemon.dataDir + "/crmd.sqlite3", "DELETE FROM change_log WHERE revision = 4"],
                scratch: daemon.root
            )
            #expect(!refused.succeeded && refused.stderr.contains("append-only"), "\(refused)")

            try await Self.behindTheBack(
                daemon,
                """
                DROP TRIGGER change_log_append_only_update;
                UPDATE change_log SET after = replace(after, 'Company 2', 'Company X') WHERE revision = 2;
                """
            )
            let verified = try await Self.verify(daemon)
            #expect(verified.result.exitCode == 1, "\(verified.result)")
            #expect(verified.lines.first == "4 entries: the change log does NOT verify", "\(verified.lines)")
            #expect(
                verified.lines.dropFirst().first?.hasPrefix("revision 2, customers/2: the entry was altered") == true,
                "the first bad revision first: \(verified.lines)"
            )

            // A copy of the head kept outside (the journal's) shows a log cut short.
            let head = try await daemon.crmctl(["audit", "verify", "-o", "json"])
            let headHash = try Crm_V1_VerifyChangesResponse(jsonString: head.stdout).headHash
            try await Self.behindTheBack(
                daemon,
                "DROP TRIGGER change_log_append_only_delete; DELETE FROM change_log WHERE revision = 4"
            )
            let cut = try await daemon.crmctl(["audit", "verify", "--head", headHash, "-o", "table"])
            #expect(cut.exitCode == 1)
            #expect(cut.stdout.contains("the head \(headHash) is not in the chain"), "\(cut)")
        }
    }

    @Test("erase leaves no trace of the email in the database or its WAL, and the chain still verifies")
    func eraseLeavesNoTrace() async throws {
        try await withDaemon { daemon in
            let email = "erin.erasable@example.org"
            let erin = try await daemon.createCustomer(Fixture.customer("Erin Erasable", email: email))
            let other = try await daemon.createCustomer(Fixture.customer("Otto Other", email: "otto@example.org"))
            for step in 1...3 {
                _ = try await daemon.customers.updateCustomer(
                    .with {
                        $0.customer.name = erin.name
                        $0.customer.phone = "+49 40 200723\(step)"
                        $0.updateMask.paths = ["phone"]
                    }
                )
            }
            let note = try await daemon.crmctl([
                "interaction", "create", "--customer", erin.name, "--kind", "email",
                "--subject", "Re: \(email)", "--body", "Dear Erin Erasable, write to \(email)", "-o", "json",
            ])
            try #require(note.succeeded, "\(note)")

            let exported = try await daemon.crmctl(["customer", "export-data", erin.name])
            try #require(exported.succeeded, "\(exported)")
            let document = try Crm_V1_CustomerDataExport(jsonString: exported.stdout)
            #expect(document.customer.email == email)
            #expect(document.interactions.count == 1 && document.changes.count == 5, "\(document.changes.map(\.kind))")
            #expect(document.changes.first?.fields.first { $0.field == "email" }?.afterJson == "\"\(email)\"")

            let refused = try await daemon.crmctl(["customer", "erase", erin.name])
            #expect(refused.exitCode == 2 && refused.stderr.contains("--yes"), "\(refused)")
            let erased = try await daemon.crmctl(["customer", "erase", erin.name, "--yes", "-o", "json"])
            try #require(erased.succeeded, "\(erased)")
            let anonymous = try Crm_V1_Customer(jsonString: erased.stdout)
            #expect(anonymous.email.isEmpty && anonymous.phone.isEmpty && !anonymous.displayName.contains("Erin"))

            try await Self.behindTheBack(daemon, "PRAGMA wal_checkpoint(TRUNCATE)")
            for file in ["/crmd.sqlite3", "/crmd.sqlite3-wal"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: daemon.dataDir + file))) ?? Data()
                #expect(bytes.range(of: Data(email.utf8)) == nil, "\(file) still holds the email")
                #expect(bytes.range(of: Data("Erasable".utf8)) == nil, "\(file) still holds the name")
            }
            // The control: the same search finds a customer who was not erased.
            let file = try Data(contentsOf: URL(fileURLWithPath: daemon.dataDir + "/crmd.sqlite3"))
            #expect(file.range(of: Data("otto@example.org".utf8)) != nil, "\(other.name) is still there")

            let verified = try await Self.verify(daemon)
            #expect(verified.result.succeeded, "\(verified.result)")
            #expect(verified.lines.first?.contains("chain intact") == true, "\(verified.lines)")

            let history = try await daemon.crmctl(["customer", "history", erin.name, "-o", "json"])
            let changes = try Crm_V1_ListChangesResponse(jsonString: history.stdout).changes
            let older = changes.filter { $0.kind != .erase }
            #expect(older.count == 4 && older.allSatisfy { $0.personalErased }, "old entries unreadable")
            #expect(changes.last?.kind == .erase && changes.last?.personalErased == false)
            #expect(!history.stdout.contains("Erasable") && !history.stdout.contains(email))
            let search = try await daemon.crmctl(["customer", "search", "Erasable", "-o", "json"])
            #expect(!search.stdout.contains(erin.name), "\(search)")
        }
    }

    @Test("every row of an import is one entry; entries page by revision; a refused batch writes none")
    func importsAndPaging() async throws {
        try await withDaemon { daemon in
            let csv = daemon.root + "/customers.csv"
            var text = "external_id,display_name,email\n"
            for index in 1...30 { text += "ext-\(index),Person \(index),person\(index)@example.org\n" }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            let imported = try await daemon.crmctl(["import", "customers", csv])
            try #require(imported.succeeded, "\(imported)")

            var bad = "external_id,display_name,email\n"
            bad += "ext-31,Fine,fine@example.org\next-32,,not-an-email\n"
            try bad.write(toFile: csv, atomically: true, encoding: .utf8)
            let refused = try await daemon.crmctl(["import", "customers", csv])
            #expect(!refused.succeeded)

            let first = try await daemon.crmctl(["audit", "list", "--page-size", "20", "-o", "json"])
            let page = try Crm_V1_ListChangesResponse(jsonString: first.stdout)
            #expect(page.changes.map(\.revision) == Array(1...20) && page.headRevision == 30, "\(first)")
            #expect(page.changes.allSatisfy { $0.method == "/crm.v1.CustomerService/ImportCustomers" })
            let rest = try await daemon.crmctl(["audit", "list", "--page-token", page.nextPageToken, "-o", "json"])
            let second = try Crm_V1_ListChangesResponse(jsonString: rest.stdout)
            #expect(second.changes.map(\.revision) == Array(21...30) && second.nextPageToken.isEmpty, "\(rest)")
            let byMethod = try await daemon.crmctl(["audit", "list", "--method", "CreateCustomer", "-o", "json"])
            #expect(try Crm_V1_ListChangesResponse(jsonString: byMethod.stdout).changes.isEmpty, "\(byMethod)")

            let badPage = try await daemon.crmctl(["audit", "list", "--page-size", "5000"])
            #expect(badPage.exitCode == 2 && badPage.stderr.contains("page_size"), "\(badPage)")
        }
    }
}
