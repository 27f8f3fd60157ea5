import Crypto
public import Foundation

/// One entry of the change log as it is stored, and the hash chain that links it to the one before.
///
/// The clear parts of the images are kept as JSON text; the personal parts of both are sealed together
/// under the key of the customer the record belongs to (``PersonalDataKey``). The chain covers the sealed
/// bytes, not what they hide, so destroying a customer's key (erasure) leaves every hash as it was.
public struct ChangeRecord: Sendable, Hashable {
    /// Gap-free and increasing: 1, 2, 3, …
    public var revision: Int64
    public var time: Date
    public var actor: ChangeActor
    /// `customers/12`, or what an event is about (`plugins`, `models/3`).
    public var resource: String
    /// The customer the record belongs to; 0 for none. Per-customer history and privacy requests
    /// find a person's entries by it.
    public var customerID: Int64
    public var kind: ChangeKind
    /// The clear fields the change altered, with their values before it (`nil` for a creation).
    public var before: String?
    /// The clear fields of the record after the change (`nil` when it was removed).
    public var after: String?
    /// The personal fields, before and after, sealed under key `keyID`; nil when there are none.
    public var sealed: Data?
    public var keyID: Int64
    /// SHA-256 of the previous entry's hash and this entry's ``canonicalEncoding``.
    public var hash: Data

    public init(
        revision: Int64,
        time: Date,
        actor: ChangeActor,
        resource: String,
        customerID: Int64,
        kind: ChangeKind,
        before: String?,
        after: String?,
        sealed: Data?,
        keyID: Int64,
        hash: Data = Data()
    ) {
        self.revision = revision
        self.time = time
        self.actor = actor
        self.resource = resource
        self.customerID = customerID
        self.kind = kind
        self.before = before
        self.after = after
        self.sealed = sealed
        self.keyID = keyID
        self.hash = hash
    }

    /// The hash before the first entry.
    public static let genesis = Data(repeating: 0, count: 32)

    /// Every stored field but the hash, each as a length-prefixed byte string in a fixed order, so that
    /// no two different entries encode alike (an absent value is not an empty one).
    public var canonicalEncoding: Data {
        var encoding = Data()
        encode { encoding.append(contentsOf: $0) }
        return encoding
    }

    /// Feeds the canonical encoding to `sink` piece by piece (hashing needs no copy of it whole).
    private func encode(_ sink: (UnsafeRawBufferPointer) -> Void) {
        func piece(_ text: String?) {
            guard var text else {
                withUnsafeBytes(of: UInt64.max.bigEndian, sink)
                return
            }
            text.withUTF8 { bytes in
                withUnsafeBytes(of: UInt64(bytes.count).bigEndian, sink)
                sink(UnsafeRawBufferPointer(bytes))
            }
        }
        func piece(_ data: Data?) {
            guard let data else {
                withUnsafeBytes(of: UInt64.max.bigEndian, sink)
                return
            }
            withUnsafeBytes(of: UInt64(data.count).bigEndian, sink)
            data.withUnsafeBytes(sink)
        }
        Array("crmd-change-v1".utf8).withUnsafeBytes(sink)
        piece(String(revision))
        piece(String(time.microsecondsSince1970))
        piece(String(actor.uid))
        piece(String(actor.gid))
        piece(String(actor.pid))
        piece(actor.executable)
        piece(actor.method)
        piece(resource)
        piece(String(customerID))
        piece(kind.rawValue)
        piece(before)
        piece(after)
        piece(sealed)
        piece(String(keyID))
    }

    /// The hash this entry must carry when it follows an entry whose hash is `previous`.
    public func chainHash(previous: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        encode { hasher.update(bufferPointer: $0) }
        return Data(hasher.finalize())
    }

    /// Builds the entry for a change from `before` to `after` (either may be nil, not both), sealing the
    /// personal fields with `key`, and chains it after `previous`.
    public static func make(
        revision: Int64,
        time: Date,
        actor: ChangeActor,
        kind: ChangeKind,
        before: ChangeImage?,
        after: ChangeImage?,
        key: PersonalDataKey?,
        previous: Data
    ) throws -> ChangeRecord {
        let image = (after ?? before)!
        var beforeClear: [ChangeImage.Field]? = nil
        var beforePersonal: [ChangeImage.Field]? = nil
        if let before {
            if let after {
                (beforeClear, beforePersonal) = before.fields(differingFrom: after)
            } else {
                (beforeClear, beforePersonal) = (before.clear, before.personal)
            }
        }
        let afterPersonal = after?.personal
        var sealed: Data? = nil
        if !(beforePersonal ?? []).isEmpty || !(afterPersonal ?? []).isEmpty {
            guard let key else { throw CRMError(.internalError, "no data key for \(image.resource)") }
            sealed = try key.seal(
                before: beforePersonal.map(ChangeImage.objectText),
                after: afterPersonal.map(ChangeImage.objectText)
            )
        }
        var record = ChangeRecord(
            revision: revision,
            time: time,
            actor: actor,
            resource: image.resource,
            customerID: image.customerID,
            kind: kind,
            before: beforeClear.map(ChangeImage.objectText),
            after: after.map { ChangeImage.objectText($0.clear) },
            sealed: sealed,
            keyID: sealed == nil ? 0 : key!.id
        )
        record.hash = record.chainHash(previous: previous)
        return record
    }
}

/// Byte strings each preceded by its length (8 bytes, big-endian); an absent one by all ones.
enum LengthPrefixed {
    static func append(_ text: String?, to data: inout Data) {
        append(text.map { Data($0.utf8) }, to: &data)
    }

    static func append(_ bytes: Data?, to data: inout Data) {
        guard let bytes else {
            withUnsafeBytes(of: UInt64.max.bigEndian) { data.append(contentsOf: $0) }
            return
        }
        withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { data.append(contentsOf: $0) }
        data.append(bytes)
    }

    /// The strings written by ``append(_:to:)-(String?,_)``, in order.
    static func strings(in data: Data) throws -> [String?] {
        var values: [String?] = []
        var position = data.startIndex
        while position < data.endIndex {
            guard data.endIndex - position >= 8 else { throw JSONString.Malformed() }
            let length = data[position..<position + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            position += 8
            if length == UInt64.max {
                values.append(nil)
                continue
            }
            guard UInt64(data.endIndex - position) >= length else { throw JSONString.Malformed() }
            values.append(String(decoding: data[position..<position + Int(length)], as: UTF8.self))
            position += Int(length)
        }
        return values
    }
}

/// The key that seals one customer's personal values in the change log (AES-256-GCM). Destroying it
/// is how an erasure reaches entries that the hash chain forbids rewriting (crypto-shredding).
public struct PersonalDataKey: Sendable {
    public var id: Int64
    let key: SymmetricKey

    init(id: Int64, key: SymmetricKey) {
        self.id = id
        self.key = key
    }

    public init(id: Int64, bytes: Data) {
        self.init(id: id, key: SymmetricKey(data: bytes))
    }

    /// A new random key.
    public static func generate(id: Int64) -> PersonalDataKey {
        PersonalDataKey(id: id, key: SymmetricKey(size: .bits256))
    }

    public var bytes: Data {
        key.withUnsafeBytes { Data($0) }
    }

    /// Nonce, ciphertext and tag of `text`, bound to `context` (what it is and whose).
    public func seal(text: String, context: String) throws -> Data {
        do {
            return try AES.GCM.seal(Data(text.utf8), using: key, authenticating: Data(context.utf8)).combined!
        } catch {
            throw CRMError(.internalError, "cannot seal a value", cause: String(describing: error))
        }
    }

    /// The text sealed by ``seal(text:context:)`` with the same context.
    public func open(text sealed: Data, context: String) throws -> String {
        let plain = try AES.GCM.open(
            AES.GCM.SealedBox(combined: sealed),
            using: key,
            authenticating: Data(context.utf8)
        )
        return String(decoding: plain, as: UTF8.self)
    }

    /// Nonce, ciphertext and tag of the two object texts.
    public func seal(before: String?, after: String?) throws -> Data {
        var plain = Data()
        LengthPrefixed.append(before, to: &plain)
        LengthPrefixed.append(after, to: &plain)
        do {
            return try AES.GCM.seal(plain, using: key).combined!
        } catch {
            throw CRMError(.internalError, "cannot seal personal values", cause: String(describing: error))
        }
    }

    /// The two object texts sealed by ``seal(before:after:)``; throws when the bytes were altered or the
    /// key is not theirs.
    public func open(_ sealed: Data) throws -> (before: String?, after: String?) {
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
        let values = try LengthPrefixed.strings(in: plain)
        guard values.count == 2 else { throw JSONString.Malformed() }
        return (values[0], values[1])
    }
}
