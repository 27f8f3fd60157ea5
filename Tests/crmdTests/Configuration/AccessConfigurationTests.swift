import CRMServer
import Testing

@testable import crmd

/// The `access` section of crmd.yaml.
@Suite("Access configuration")
struct AccessConfigurationTests {
    @Test("roles map to users and groups; without the section no roles are checked")
    func parses() throws {
        let file = try ConfigurationFile.parse(
            """
            access:
              admin:  { groups: [crm-admin], users: [] }
              writer: { groups: [crm], users: [alice] }
              reader: { groups: [crm-read] }
            """,
            path: "/etc/crmd/crmd.yaml"
        )
        #expect(
            file.access
                == AccessMapping(
                    admin: .init(users: [], groups: ["crm-admin"]),
                    writer: .init(users: ["alice"], groups: ["crm"]),
                    reader: .init(groups: ["crm-read"])
                )
        )
        #expect(try ConfigurationFile.parse("daemon: { log_level: info }", path: "x").access == nil)
        let settings = DaemonSettings(
            dataDirectory: "/var/lib/crmd",
            socketPath: "/run/crmd/crmd.sock",
            logLevel: .info
        )
        guard case .everyone = settings.callPolicy else {
            Issue.record("without an access section every caller is let in")
            return
        }
    }

    @Test(
        "a bad access section names the key",
        arguments: [
            ("access: { owner: { users: [a] } }", "access.owner"),
            ("access: { writer: [crm] }", "access.writer"),
            ("access: { writer: { group: [crm] } }", "access.writer.group"),
            ("access: { reader: { users: alice } }", "access.reader.users"),
            ("access: { reader: { users: [\"a b\"] } }", "access.reader.users"),
        ]
    )
    func refuses(_ text: String, _ key: String) {
        do {
            let parsed = try ConfigurationFile.parse(text, path: "/etc/crmd/crmd.yaml")
            Issue.record("parsed as \(String(describing: parsed.access)), expected an error")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
        } catch {
            Issue.record("expected a ConfigurationError, got \(error)")
        }
    }
}
