import Crypto
public import Foundation

/// The key backups are sealed with: 32 bytes from a file (`$CREDENTIALS_DIRECTORY/backup-key`, or
/// `backup.key_file`). A file of another length is taken as a passphrase and hashed to a key.
public struct BackupKey: Sendable {
    let key: SymmetricKey
    /// Names the key without revealing it: the first 8 bytes of SHA-256("crmd-backup-key" ‖ key), in hex.
    public let id: String

    public init(bytes: Data) {
        let material = bytes.count == 32 ? bytes : Data(SHA256.hash(data: bytes))
        key = SymmetricKey(data: material)
        var hasher = SHA256()
        hasher.update(data: Data("crmd-backup-key".utf8))
        hasher.update(data: material)
        id = Data(hasher.finalize().prefix(8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the key file; a clear error when it is missing, unreadable or empty.
    public static func read(from path: String) throws -> BackupKey {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw BackupError("cannot read the backup key \(path)")
        }
        guard !bytes.isEmpty else { throw BackupError("the backup key \(path) is empty") }
        return BackupKey(bytes: bytes)
    }
}

/// A backup that cannot be made, read or trusted; the message says why and what to do.
public struct BackupError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
