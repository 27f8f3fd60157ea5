import CRMCore
import Crypto
public import Foundation

/// The key backups are sealed with, from a file (`$CREDENTIALS_DIRECTORY/backup-key`, or
/// `backup.key_file`): 32 bytes, or a passphrase hashed to a key (``FileKey``).
public struct BackupKey: Sendable {
    let file: FileKey
    var key: SymmetricKey { file.key }
    /// Names the key without revealing it.
    public var id: String { file.id }

    public init(bytes: Data) {
        file = FileKey(bytes: bytes, purpose: "crmd-backup-key")
    }

    /// Reads the key file; a clear error when it is missing, unreadable or empty.
    public static func read(from path: String) throws -> BackupKey {
        guard let file = FileKey.read(from: path, purpose: "crmd-backup-key") else {
            throw BackupError("cannot read the backup key \(path) (or it is empty)")
        }
        return BackupKey(file: file)
    }

    private init(file: FileKey) {
        self.file = file
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
