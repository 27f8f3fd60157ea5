import Logging
import Testing

@testable import CRMServer

extension Systemd {
    /// How ``JournalLogHandler`` names fields and priorities.
    @Suite("JournalLogHandler")
    struct JournalLogHandlerTests {
        @Test(
            "metadata keys become journal field names",
            arguments: [
                ("rpc", "RPC"),
                ("peer_uid", "PEER_UID"),
                ("duration_us", "DURATION_US"),
                ("data-dir", "DATA_DIR"),
                ("customer.name", "CUSTOMER_NAME"),
                ("_private", "PRIVATE"),
                ("__x", "X"),
                ("9lives", "CRMD_9LIVES"),
                ("", "CRMD_"),
                ("émoji✓", "MOJI_"),
                (String(repeating: "k", count: 80), String(repeating: "K", count: 64)),
            ]
        )
        func fieldName(key: String, expected: String) {
            let name = JournalLogHandler.fieldName(key)
            #expect(name == expected)
            #expect(JournalTests.isValidFieldName(name), "\(name.debugDescription) is not a valid field name")
        }

        @Test(
            "log levels map to syslog priorities",
            arguments: [
                (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3),
                (.critical, 2),
            ]
        )
        func priority(level: Logger.Level, expected: Int) {
            #expect(JournalLogHandler.priority(level) == expected)
        }
    }
}
