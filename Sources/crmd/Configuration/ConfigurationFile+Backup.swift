import CRMServer
import Yams

extension ConfigurationFile {
    /// The parts of the `backup` section (docs/operations.md); the folder defaults to
    /// `<data_dir>/backups` once the data folder is known.
    struct BackupSection: Equatable {
        var directory: String?
        var keyFile: String?
        var encrypt = true
        var every: Duration?
        var keep = BackupSettings.Retention()
    }

    /// `backup: { dir, key_file, encrypt, every: 6h, keep: { last: 7, daily: 14, weekly: 8 } }`.
    static func parseBackup(_ entries: Node.Mapping, path: String) throws -> BackupSection {
        var section = BackupSection()
        for (entryKey, entryValue) in entries {
            let key = entryKey.string ?? ""
            let fullKey = "backup.\(key)"
            let text = entryValue.scalar?.string ?? ""
            switch key {
            case "dir":
                guard !text.isEmpty else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be a folder")
                }
                section.directory = text
            case "key_file":
                guard text.hasPrefix("/") else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be an absolute path")
                }
                section.keyFile = text
            case "encrypt":
                guard let value = entryValue.bool else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be true or false")
                }
                section.encrypt = value
            case "every":
                guard let seconds = number(text, seconds: true), (60...(366 * 86_400)).contains(seconds) else {
                    throw ConfigurationError(
                        path: path,
                        key: fullKey,
                        problem: "must be a period from 1m to 366d, such as 6h or 1d"
                    )
                }
                section.every = .seconds(seconds)
            case "keep":
                guard let rules = entryValue.mapping else {
                    throw ConfigurationError(
                        path: path,
                        key: fullKey,
                        problem: "must be a mapping: { last, daily, weekly }"
                    )
                }
                for (ruleKey, ruleValue) in rules {
                    let rule = ruleKey.string ?? ""
                    guard let count = ruleValue.int, (0...10_000).contains(count) else {
                        throw ConfigurationError(
                            path: path,
                            key: "\(fullKey).\(rule)",
                            problem: "must be a whole number from 0 to 10000"
                        )
                    }
                    switch rule {
                    case "last": section.keep.last = count
                    case "daily": section.keep.daily = count
                    case "weekly": section.keep.weekly = count
                    default:
                        throw ConfigurationError(
                            path: path,
                            key: "\(fullKey).\(rule)",
                            problem: "unknown key (known: last, daily, weekly)"
                        )
                    }
                }
                guard section.keep.last >= 1 else {
                    throw ConfigurationError(
                        path: path,
                        key: "\(fullKey).last",
                        problem: "must keep at least the newest backup"
                    )
                }
            default:
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown key (known: dir, key_file, encrypt, every, keep)"
                )
            }
        }
        return section
    }
}
