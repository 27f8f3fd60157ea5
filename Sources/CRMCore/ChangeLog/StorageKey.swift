package import Crypto
public import Foundation

/// A 256-bit key kept in a file (a systemd credential): 32 bytes are the key; any other length is a
/// passphrase, hashed to one. Its id names it without revealing it: 8 bytes of SHA-256(purpose ‖ key),
/// in hex. The storage key and the backup key are file keys of two purposes.
package struct FileKey: Sendable {
    package let key: SymmetricKey
    package let id: String

    package init(bytes: Data, purpose: String) {
        let material = bytes.count == 32 ? bytes : Data(SHA256.hash(data: bytes))
        key = SymmetricKey(data: material)
        var hasher = SHA256()
        hasher.update(data: Data(purpose.utf8))
        hasher.update(data: material)
        id = Data(hasher.finalize().prefix(8)).hexString
    }

    /// The key in the file at `path`; nil when it is missing, unreadable or empty.
    package static func read(from path: String, purpose: String) -> FileKey? {
        guard let bytes = FileManager.default.contents(atPath: path), !bytes.isEmpty else { return nil }
        return FileKey(bytes: bytes, purpose: purpose)
    }
}

/// The master key that wraps every customer's ``PersonalDataKey`` in the database
/// (`$CREDENTIALS_DIRECTORY/storage-key` or `storage.key_file`; docs/security.md). A copy of the
/// database without it does not open what the keys seal.
public struct StorageKey: Sendable {
    let file: FileKey
    var key: SymmetricKey { file.key }
    /// Names the key without revealing it (``FileKey``).
    public var id: String { file.id }

    public init(bytes: Data) {
        file = FileKey(bytes: bytes, purpose: "crmd-storage-key")
    }

    /// Reads a key file; `.failedPrecondition` naming it when it is missing, unreadable or empty.
    public static func read(from path: String) throws -> StorageKey {
        guard let file = FileKey.read(from: path, purpose: "crmd-storage-key") else {
            throw CRMError(.failedPrecondition, "cannot read the storage key \(path) (or it is empty)")
        }
        return StorageKey(file: file)
    }

    private init(file: FileKey) {
        self.file = file
    }

    /// The data key's bytes sealed under this key, bound to the customer they belong to.
    func wrap(_ dataKey: Data, customerID: Int64) throws -> Data {
        do {
            return try AES.GCM.seal(dataKey, using: key, authenticating: Self.binding(customerID)).combined!
        } catch {
            throw CRMError(.internalError, "cannot wrap a data key", cause: String(describing: error))
        }
    }

    func unwrap(_ wrapped: Data, customerID: Int64) throws -> Data {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return try AES.GCM.open(box, using: key, authenticating: Self.binding(customerID))
        } catch {
            throw CRMError(
                .dataLoss,
                "the data key of \(ResourceName.customer(customerID)) does not open with storage key \(id)",
                cause: String(describing: error)
            )
        }
    }

    private static func binding(_ customerID: Int64) -> Data {
        Data("crmd-data-key:\(customerID)".utf8)
    }
}

/// The storage keys crmd holds: the one new data keys are wrapped with, and earlier ones that still
/// open keys not yet re-wrapped (during a rotation); and what they seal besides interaction bodies.
public struct StorageKeys: Sendable {
    public var current: StorageKey
    public var previous: [StorageKey]
    /// Customer attributes whose values are sealed like street addresses (`storage.sensitive_attributes`).
    public var sensitiveAttributes: Set<String>

    public init(current: StorageKey, previous: [StorageKey] = [], sensitiveAttributes: Set<String> = []) {
        self.current = current
        self.previous = previous
        self.sensitiveAttributes = sensitiveAttributes
    }

    func key(id: String) -> StorageKey? {
        current.id == id ? current : previous.first { $0.id == id }
    }
}

extension PersonalDataKey {
    /// The key as the database keeps it: wrapped under `keys.current` (its id returned beside), or raw
    /// when crmd has no storage key.
    public func stored(for customerID: Int64, under keys: StorageKeys?) throws -> (bytes: Data, wrapID: String) {
        guard let keys else { return (bytes, "") }
        return (try keys.current.wrap(bytes, customerID: customerID), keys.current.id)
    }

    /// The key from its stored form; `.failedPrecondition` when it is wrapped by a storage key crmd was
    /// not given.
    public static func fromStored(
        id: Int64,
        bytes: Data,
        wrapID: String,
        customerID: Int64,
        keys: StorageKeys?
    ) throws -> PersonalDataKey {
        guard !wrapID.isEmpty else { return PersonalDataKey(id: id, bytes: bytes) }
        guard let storage = keys?.key(id: wrapID) else {
            throw CRMError(
                .failedPrecondition,
                "the data key of \(ResourceName.customer(customerID)) is wrapped by storage key \(wrapID), "
                    + "which crmd was not given (storage.key_file, storage.previous_key_files; docs/security.md)"
            )
        }
        return PersonalDataKey(id: id, bytes: try storage.unwrap(bytes, customerID: customerID))
    }
}
