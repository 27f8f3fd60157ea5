import CRMCore
import Foundation
import Yams

extension ConfigurationFile {
    /// The `storage` section: the storage key that wraps the customers' data keys (docs/security.md).
    struct StorageSection: Equatable {
        var keyFile: String?
        /// Earlier keys, still read while `crmctl admin rotate-key` re-wraps under the current one.
        var previousKeyFiles: [String] = []
        /// Customer attributes whose values are sealed like street addresses.
        var sensitiveAttributes: [String] = []
    }

    /// `storage: { key_file: /etc/crmd/storage-key, previous_key_files: [/etc/crmd/storage-key.old],
    /// sensitive_attributes: [income, health] }`.
    static func parseStorage(_ entries: Node.Mapping, path: String) throws -> StorageSection {
        var section = StorageSection()
        for (entryKey, entryValue) in entries {
            let key = entryKey.string ?? ""
            let fullKey = "storage.\(key)"
            switch key {
            case "key_file":
                guard let text = entryValue.scalar?.string, text.hasPrefix("/") else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be an absolute path")
                }
                section.keyFile = text
            case "previous_key_files":
                guard let items = entryValue.sequence else {
                    throw ConfigurationError(path: path, key: fullKey, problem: "must be a list of absolute paths")
                }
                section.previousKeyFiles = try items.map { item in
                    guard let text = item.scalar?.string, text.hasPrefix("/") else {
                        throw ConfigurationError(path: path, key: fullKey, problem: "must be a list of absolute paths")
                    }
                    return text
                }
            case "sensitive_attributes":
                let problem = "must be a list of attribute keys (ASCII letters, digits, \"_\", \"-\" and \".\")"
                guard let items = entryValue.sequence else {
                    throw ConfigurationError(path: path, key: fullKey, problem: problem)
                }
                section.sensitiveAttributes = try items.map { item in
                    guard let text = item.scalar?.string,
                        text.range(of: "^[A-Za-z0-9_.-]+$", options: .regularExpression) != nil
                    else {
                        throw ConfigurationError(path: path, key: fullKey, problem: problem)
                    }
                    return text
                }
            default:
                throw ConfigurationError(
                    path: path,
                    key: fullKey,
                    problem: "unknown key (known: key_file, previous_key_files, sensitive_attributes)"
                )
            }
        }
        return section
    }
}

extension DaemonSettings {
    /// The storage keys: `$CREDENTIALS_DIRECTORY/storage-key`, else `storage.key_file`, and the previous
    /// ones; nil when there is none (data keys are stored raw).
    func storageKeys() throws -> StorageKeys? {
        var currentPath = storageSection.keyFile
        if let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"],
            FileManager.default.fileExists(atPath: credentials + "/storage-key")
        {
            currentPath = credentials + "/storage-key"
        }
        guard let currentPath else { return nil }
        return StorageKeys(
            current: try StorageKey.read(from: currentPath),
            previous: try storageSection.previousKeyFiles.map(StorageKey.read(from:)),
            sensitiveAttributes: Set(storageSection.sensitiveAttributes)
        )
    }
}
