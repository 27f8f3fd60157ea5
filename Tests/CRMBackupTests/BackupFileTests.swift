import Foundation
import Testing

@testable import CRMBackup

@Suite("Backup files: chunks that authenticate only whole, in order, with their key")
struct BackupFileTests {
    /// A folder with a 600 KB "database" of random and repetitive bytes, removed at the end.
    final class Scratch {
        let folder: String
        let database: String
        let bytes: Data

        init() throws {
            folder = NSTemporaryDirectory() + "crm-backup-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            database = folder + "/crmd.sqlite3"
            var generator = SystemRandomNumberGenerator()
            var bytes = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
            bytes.append(Data(repeating: 0x41, count: 300_000))
            self.bytes = bytes
            try bytes.write(to: URL(fileURLWithPath: database))
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func header(encrypted: Bool, key: BackupKey?) -> BackupHeader {
            BackupHeader(
                encrypted: encrypted,
                keyID: key?.id ?? "",
                revision: 42,
                headHash: String(repeating: "ab", count: 32),
                time: "2026-12-07T22:00:00.000000Z",
                crmdVersion: "test",
                schemaVersion: 6,
                databaseBytes: Int64(bytes.count),
                chunkSize: 64 << 10
            )
        }

        func backup(key: BackupKey?) throws -> String {
            let path = folder + "/b.crmdbak"
            try BackupFile.write(
                database: database,
                to: path,
                header: header(encrypted: key != nil, key: key),
                key: key
            )
            return path
        }

        /// The file as chunks: the part before them, and each chunk's bytes with its length prefix.
        func chunks(of path: String) throws -> (start: Data, chunks: [Data]) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let headerLength = Int(data[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            var position = 16 + headerLength
            let start = data.prefix(position)
            var chunks: [Data] = []
            while position < data.count {
                let length = Int(data[position..<position + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                chunks.append(data[position..<position + 4 + length])
                position += 4 + length
            }
            return (Data(start), chunks)
        }
    }

    static let key = BackupKey(bytes: Data((0..<32).map { UInt8($0) }))

    func expectRefused(_ path: String, key: BackupKey?, saying words: String, _ scratch: Scratch) {
        let restored = scratch.folder + "/restored"
        #expect {
            try BackupFile.read(path, key: key, to: restored)
        } throws: { error in
            guard let message = (error as? BackupError)?.message else { return false }
            return words.isEmpty || message.contains(words)
        }
        #expect(!FileManager.default.fileExists(atPath: restored), "nothing is left behind")
    }

    @Test("a backup restores byte for byte; it is compressed, sealed and says what it holds in its header")
    func roundTrip() throws {
        let scratch = try Scratch()
        let path = try scratch.backup(key: Self.key)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < scratch.bytes.count * 6 / 10, "the repetitive half compresses: \(size) bytes")
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(file.range(of: Data(repeating: 0x41, count: 64)) == nil, "no plaintext run survives")
        #expect(try BackupFile.header(of: path) == scratch.header(encrypted: true, key: Self.key))
        let restored = scratch.folder + "/restored"
        try BackupFile.read(path, key: Self.key, to: restored)
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored)) == scratch.bytes)
        #expect(try scratch.chunks(of: path).chunks.count == 11, "10 chunks of 64 KiB and the end marker")
    }

    @Test("one flipped byte, anywhere, is found")
    func flippedByte() throws {
        let scratch = try Scratch()
        let path = try scratch.backup(key: Self.key)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let (start, _) = try scratch.chunks(of: path)
        for offset in [start.count + 100, data.count / 2, data.count - 3] {
            var flipped = data
            flipped[offset] ^= 0x01
            try flipped.write(to: URL(fileURLWithPath: path))
            expectRefused(path, key: Self.key, saying: "does not authenticate", scratch)
        }
        // The header is authenticated too: every chunk names its hash.
        data[start.count - 5] = data[start.count - 5] == 0x31 ? 0x32 : 0x31
        try data.write(to: URL(fileURLWithPath: path))
        expectRefused(path, key: Self.key, saying: "", scratch)
    }

    @Test("a truncated file, a dropped chunk and a reordered pair are each refused")
    func truncatedAndReordered() throws {
        let scratch = try Scratch()
        let path = try scratch.backup(key: Self.key)
        let (start, chunks) = try scratch.chunks(of: path)
        try (start + chunks.dropLast().joined()).write(to: URL(fileURLWithPath: path))
        expectRefused(path, key: Self.key, saying: "truncated", scratch)
        try (start + chunks.prefix(3).joined() + chunks.dropFirst(4).joined()).write(to: URL(fileURLWithPath: path))
        expectRefused(path, key: Self.key, saying: "chunk 3 does not authenticate", scratch)
        var swapped = chunks
        swapped.swapAt(1, 2)
        try (start + swapped.joined()).write(to: URL(fileURLWithPath: path))
        expectRefused(path, key: Self.key, saying: "chunk 1 does not authenticate", scratch)
        let full = start + chunks.joined()
        try full.prefix(full.count - 10).write(to: URL(fileURLWithPath: path))
        expectRefused(path, key: Self.key, saying: "truncated", scratch)
    }

    @Test("a wrong key, or none, is refused naming the key id; an unencrypted backup still detects damage")
    func keys() throws {
        let scratch = try Scratch()
        let path = try scratch.backup(key: Self.key)
        let other = BackupKey(bytes: Data(repeating: 7, count: 32))
        expectRefused(path, key: other, saying: "sealed with key id \(Self.key.id)", scratch)
        expectRefused(path, key: nil, saying: "is encrypted", scratch)
        #expect(BackupKey(bytes: Data("a passphrase".utf8)).id != Self.key.id)

        let plain = try scratch.backup(key: nil)
        try BackupFile.read(plain, key: nil, to: scratch.folder + "/plain")
        var data = try Data(contentsOf: URL(fileURLWithPath: plain))
        data[data.count / 2] ^= 0x80
        try data.write(to: URL(fileURLWithPath: plain))
        expectRefused(plain, key: nil, saying: "does not authenticate", scratch)
    }
}
