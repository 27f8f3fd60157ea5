import CZlib
import Crypto
import Foundation

/// The layout of a backup file (format 1):
///
///     "CRMDBACKUP1\n"  u32 header length  header (JSON, ``BackupHeader``)
///     chunk*           u32 length  body
///
/// Each data chunk holds up to `chunk_size` bytes of the database, compressed with zlib on its own,
/// then sealed with AES-256-GCM (nonce ‖ ciphertext ‖ tag); the additional authenticated data is
/// SHA-256(magic ‖ header) ‖ chunk index (u64) ‖ last flag (u8). A last, empty chunk with the flag set
/// ends the file. So a flipped byte, a chunk moved or dropped, a file cut short or pasted from another
/// backup, and a wrong key all fail to authenticate. Without encryption (`backup.encrypt: false`) a
/// body is the compressed bytes followed by SHA-256(aad ‖ compressed bytes): integrity, not secrecy.
/// Memory stays at a few chunks whatever the size of the database.
public enum BackupFile {
    static let magic = Data("CRMDBACKUP1\n".utf8)

    /// Writes the database file at `database` into a new backup at `path` (created 0600, replaced whole
    /// only when complete).
    /// - Parameter progress: called with the bytes of the database read so far.
    public static func write(
        database: String,
        to path: String,
        header: BackupHeader,
        key: BackupKey?,
        progress: (Int64) -> Void = { _ in }
    ) throws {
        guard header.encrypted == (key != nil) else {
            throw BackupError("an encrypted backup needs a key, and only an encrypted one takes it")
        }
        guard let input = FileHandle(forReadingAtPath: database) else {
            throw BackupError("cannot read the snapshot \(database)")
        }
        defer { try? input.close() }
        let partial = path + ".partial"
        _ = FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let output = FileHandle(forWritingAtPath: partial) else {
            throw BackupError("cannot create \(partial)")
        }
        do {
            let headerBytes = try encode(header)
            var start = magic
            start.append(UInt32(headerBytes.count).bigEndianBytes)
            start.append(headerBytes)
            try output.write(contentsOf: start)
            let context = Data(SHA256.hash(data: magic + headerBytes))
            var index: UInt64 = 0
            var read: Int64 = 0
            while true {
                let plain = try input.read(upToCount: header.chunkSize) ?? Data()
                if plain.isEmpty { break }
                read += Int64(plain.count)
                let body = try seal(try compress(plain), context: context, index: index, last: false, key: key)
                try output.write(contentsOf: UInt32(body.count).bigEndianBytes + body)
                index += 1
                progress(read)
            }
            let end = try seal(Data(), context: context, index: index, last: true, key: key)
            try output.write(contentsOf: UInt32(end.count).bigEndianBytes + end)
            guard read == header.databaseBytes else {
                throw BackupError(
                    "the snapshot changed size while it was read (\(read) of \(header.databaseBytes) bytes)"
                )
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            try? FileManager.default.removeItem(atPath: partial)
            throw BackupError("cannot move the backup into place at \(path): errno \(errno)")
        }
    }

    /// The header of the backup at `path`, read without a key.
    public static func header(of path: String) throws -> BackupHeader {
        guard let input = FileHandle(forReadingAtPath: path) else { throw BackupError("cannot read \(path)") }
        defer { try? input.close() }
        return try readHeader(input, path: path).header
    }

    /// Checks every chunk of the backup at `path` and writes the database it holds to `database` (nil:
    /// check only). Nothing is left at `database` when a check fails.
    /// - Returns: the header, once every chunk authenticated and the size matched.
    @discardableResult
    public static func read(
        _ path: String,
        key: BackupKey?,
        to database: String?,
        progress: (Int64) -> Void = { _ in }
    ) throws -> BackupHeader {
        guard let input = FileHandle(forReadingAtPath: path) else { throw BackupError("cannot read \(path)") }
        defer { try? input.close() }
        let (header, headerBytes) = try readHeader(input, path: path)
        guard header.format == 1, header.compression == "zlib" else {
            throw BackupError(
                "\(path): backup format \(header.format) (\(header.compression)) is not one this crmd reads"
            )
        }
        if header.encrypted {
            guard let key else {
                throw BackupError("\(path) is encrypted (key id \(header.keyID)): give the backup key")
            }
            guard key.id == header.keyID else {
                throw BackupError(
                    "\(path) was sealed with key id \(header.keyID); the key given has id \(key.id)"
                )
            }
        }
        var output: FileHandle? = nil
        if let database {
            _ = FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o600])
            output = FileHandle(forWritingAtPath: database)
            guard output != nil else { throw BackupError("cannot create \(database)") }
        }
        do {
            let context = Data(SHA256.hash(data: magic + headerBytes))
            var index: UInt64 = 0
            var written: Int64 = 0
            while true {
                guard let lengthBytes = try input.read(upToCount: 4), lengthBytes.count == 4 else {
                    throw BackupError(
                        "\(path) ends after chunk \(index) without its end marker: the file is truncated"
                    )
                }
                let length = Int(Self.bigEndianUInt32(lengthBytes))
                guard length <= header.chunkSize * 2 + 1024 else {
                    throw BackupError("\(path): chunk \(index) claims \(length) bytes: the file is damaged")
                }
                guard let body = try input.read(upToCount: length), body.count == length else {
                    throw BackupError("\(path) is cut short inside chunk \(index): the file is truncated")
                }
                // A chunk authenticates only at its own place, with its own flag.
                if let compressed = try? open(
                    body,
                    context: context,
                    index: index,
                    last: false,
                    key: key,
                    header: header
                ) {
                    let plain = try decompress(compressed, limit: header.chunkSize, path: path, index: index)
                    try output?.write(contentsOf: plain)
                    written += Int64(plain.count)
                    progress(written)
                    index += 1
                    continue
                }
                if (try? open(body, context: context, index: index, last: true, key: key, header: header)) != nil {
                    break
                }
                throw BackupError(
                    "\(path): chunk \(index) does not authenticate: the file was altered or reordered"
                        + (header.encrypted ? ", or the key is not the one it was sealed with" : "")
                )
            }
            if let extra = try input.read(upToCount: 1), !extra.isEmpty {
                throw BackupError("\(path) has bytes after its end marker: the file is damaged")
            }
            guard written == header.databaseBytes else {
                throw BackupError("\(path) holds \(written) bytes, its header says \(header.databaseBytes)")
            }
            try output?.synchronize()
            try output?.close()
        } catch {
            try? output?.close()
            if let database { try? FileManager.default.removeItem(atPath: database) }
            throw error
        }
        return header
    }

    // MARK: Internal

    static func encode(_ header: BackupHeader) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(header)
    }

    private static func readHeader(_ input: FileHandle, path: String) throws -> (header: BackupHeader, bytes: Data) {
        guard let start = try input.read(upToCount: magic.count + 4), start.count == magic.count + 4,
            start.prefix(magic.count) == magic
        else { throw BackupError("\(path) is not a crmd backup") }
        let length = Int(Self.bigEndianUInt32(start.suffix(4)))
        guard length < 1 << 20, let bytes = try input.read(upToCount: length), bytes.count == length else {
            throw BackupError("\(path): the header is damaged")
        }
        do {
            return (try JSONDecoder().decode(BackupHeader.self, from: bytes), bytes)
        } catch {
            throw BackupError("\(path): the header is damaged (\(error))")
        }
    }

    private static func bigEndianUInt32(_ bytes: Data) -> UInt32 {
        bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    private static func additionalData(_ context: Data, _ index: UInt64, _ last: Bool) -> Data {
        context + index.bigEndianBytes + Data([last ? 1 : 0])
    }

    private static func seal(_ bytes: Data, context: Data, index: UInt64, last: Bool, key: BackupKey?) throws -> Data {
        let aad = additionalData(context, index, last)
        guard let key else { return bytes + Data(SHA256.hash(data: aad + bytes)) }
        return try AES.GCM.seal(bytes, using: key.key, authenticating: aad).combined!
    }

    private static func open(
        _ body: Data,
        context: Data,
        index: UInt64,
        last: Bool,
        key: BackupKey?,
        header: BackupHeader
    ) throws -> Data {
        let aad = additionalData(context, index, last)
        if header.encrypted, let key {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: body), using: key.key, authenticating: aad)
        }
        guard body.count >= 32 else { throw BackupError("short chunk") }
        let bytes = body.prefix(body.count - 32)
        guard Data(SHA256.hash(data: aad + bytes)) == body.suffix(32) else { throw BackupError("bad digest") }
        return Data(bytes)
    }

    private static func compress(_ plain: Data) throws -> Data {
        var size = compressBound(uLong(plain.count))
        var out = Data(count: Int(size))
        let status = out.withUnsafeMutableBytes { target in
            plain.withUnsafeBytes { source in
                compress2(
                    target.bindMemory(to: Bytef.self).baseAddress,
                    &size,
                    source.bindMemory(to: Bytef.self).baseAddress,
                    uLong(plain.count),
                    3
                )
            }
        }
        guard status == Z_OK else { throw BackupError("zlib could not compress a chunk (\(status))") }
        out.count = Int(size)
        return out
    }

    private static func decompress(_ compressed: Data, limit: Int, path: String, index: UInt64) throws -> Data {
        var size = uLong(limit)
        var out = Data(count: limit)
        let status = out.withUnsafeMutableBytes { target in
            compressed.withUnsafeBytes { source in
                uncompress(
                    target.bindMemory(to: Bytef.self).baseAddress,
                    &size,
                    source.bindMemory(to: Bytef.self).baseAddress,
                    uLong(compressed.count)
                )
            }
        }
        guard status == Z_OK else { throw BackupError("\(path): chunk \(index) does not decompress (\(status))") }
        out.count = Int(size)
        return out
    }
}

extension FixedWidthInteger {
    fileprivate var bigEndianBytes: Data {
        withUnsafeBytes(of: self.bigEndian) { Data($0) }
    }
}
