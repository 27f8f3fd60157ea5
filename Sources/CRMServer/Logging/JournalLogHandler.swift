import CSystemd
import Foundation
import Glibc
public import Logging

/// Writes log records to the systemd journal with structured fields
/// (`sd_journal_sendv(3)`): `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, the
/// source location, and every metadata key upper-cased — `RPC`, `PEER_UID`,
/// `CUSTOMER`, … — so that `journalctl -u crmd RPC=/crm.v1.CustomerService/CreateCustomer`
/// finds the calls of one method.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    let control: LogLevelControl
    let identifier: String

    public init(identifier: String, control: LogLevelControl) {
        self.identifier = identifier
        self.control = control
    }

    public var logLevel: Logger.Level {
        get { control.level }
        set { control.level = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Whether standard error is connected to the journal (`JOURNAL_STREAM`
    /// names its device and inode), i.e. the daemon runs under systemd.
    public static var standardErrorIsJournal: Bool {
        guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    public func log(event: LogEvent) {
        var fields = [
            "MESSAGE=\(event.message)",
            "PRIORITY=\(Self.priority(event.level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(event.file)",
            "CODE_LINE=\(event.line)",
            "CODE_FUNC=\(event.function)",
            "CRMD_SOURCE=\(event.source)",
        ]
        if let error = event.error {
            fields.append("ERROR=\(error)")
        }
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        for (key, value) in merged {
            fields.append("\(Self.fieldName(key))=\(value)")
        }
        Self.send(fields)
    }

    /// syslog priorities, as journalctl -p understands them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Journal field names are upper-case letters, digits and `_`, not starting with `_` or a digit.
    static func fieldName(_ key: String) -> String {
        var name = String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        while name.hasPrefix("_") { name.removeFirst() }
        if name.isEmpty || name.first!.isNumber { name = "CRMD_" + name }
        return String(name.prefix(64))
    }

    private static func send(_ fields: [String]) {
        var buffers = fields.map { Array($0.utf8) }
        var vectors: [iovec] = []
        vectors.reserveCapacity(buffers.count)
        buffers.withUnsafeMutableBufferPointer { all in
            for index in all.indices {
                all[index].withUnsafeMutableBytes { bytes in
                    vectors.append(iovec(iov_base: bytes.baseAddress, iov_len: bytes.count))
                }
            }
            // The pointers stay valid: `buffers` is neither resized nor released before the call.
            _ = sd_journal_sendv(vectors, Int32(vectors.count))
        }
    }
}
