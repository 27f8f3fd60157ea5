import Foundation

/// What a backup file says about itself, before its chunks (docs/operations.md, "Backup files").
public struct BackupHeader: Sendable, Hashable, Codable {
    /// 1: this layout.
    public var format: Int
    /// Chunks are sealed with AES-256-GCM; `false` only with `backup.encrypt: false`.
    public var encrypted: Bool
    /// `zlib`: each chunk is compressed on its own.
    public var compression: String
    /// Bytes of the database in each chunk before compression (the last may hold fewer).
    public var chunkSize: Int
    /// ``BackupKey/id`` of the key the chunks are sealed with; empty when not encrypted.
    public var keyID: String
    /// The change-log revision the snapshot was taken at, and its hash (hex).
    public var revision: Int64
    public var headHash: String
    /// When the snapshot was taken, RFC 3339.
    public var time: String
    public var crmdVersion: String
    public var schemaVersion: Int
    /// Size of the database file the chunks hold.
    public var databaseBytes: Int64

    public init(
        encrypted: Bool,
        keyID: String,
        revision: Int64,
        headHash: String,
        time: String,
        crmdVersion: String,
        schemaVersion: Int,
        databaseBytes: Int64,
        chunkSize: Int = 1 << 20
    ) {
        self.format = 1
        self.encrypted = encrypted
        self.compression = "zlib"
        self.chunkSize = chunkSize
        self.keyID = keyID
        self.revision = revision
        self.headHash = headHash
        self.time = time
        self.crmdVersion = crmdVersion
        self.schemaVersion = schemaVersion
        self.databaseBytes = databaseBytes
    }

    enum CodingKeys: String, CodingKey {
        case format, encrypted, compression
        case chunkSize = "chunk_size"
        case keyID = "key_id"
        case revision
        case headHash = "head_hash"
        case time
        case crmdVersion = "crmd_version"
        case schemaVersion = "schema_version"
        case databaseBytes = "database_bytes"
    }
}
