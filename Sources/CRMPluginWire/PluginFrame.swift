/// One message between crmd and a plugin-host process (`crmd-plugin-host`), over a socketpair.
///
/// The stream is a sequence of frames, each a 16-byte header followed by its payload. Every integer is
/// little-endian:
///
///     offset  size  field
///     0       4     payload length in bytes (at most ``maximumPayload``)
///     4       4     kind (``Kind``)
///     8       8     call id: the `CALL` a frame belongs to; 0 for frames of no call
///     16      n     payload, as the kind says
///
/// crmd to the host: `INIT`, `CALL`, `CANCEL`, `STOP`. The host to crmd: `LOADED` or `REFUSED` (once, unasked,
/// right after start), `INIT_DONE`, `RESULT`, `LOG`, `PROGRESS`. A host serves one call at a time. The payload of
/// each kind is documented on its case and in docs/plugins.md ("The plugin-host protocol").
package struct PluginFrame: Sendable, Equatable {
    /// What a frame carries. Values below 16 go from crmd to the host, 16 and above from the host to crmd.
    package enum Kind: UInt32, Sendable {
        /// Limits and the plugin's configuration; answered by `INIT_DONE`. Payload: u64 memory limit in bytes
        /// (0: none), u64 CPU seconds per call (0: none), then the `crm.plugin.v1.PluginConfig` bytes.
        case initialise = 1
        /// Runs one method. Payload: u32 length of the method name, the name (UTF-8), then the request bytes.
        /// Answered by `RESULT` with the same call id.
        case call = 2
        /// Makes `is_cancelled` true for the call with this id (ignored when that call has ended). No payload.
        case cancel = 3
        /// Calls `shutdown` (if `init` succeeded) and exits with status 0. No payload.
        case stop = 4

        /// The descriptor passed `crm_plugin_validate_descriptor`. Payload: u32 ABI major, u32 ABI minor,
        /// u32 kind, u32 flags, then name, version, description and license, each as u32 length + UTF-8.
        case loaded = 16
        /// The library was refused; the host exits next. Payload: u32 length + the descriptor's ABI version
        /// ("1.0"; empty when unknown), then the reason (UTF-8).
        case refused = 17
        /// What `init` returned. Payload: i32 status (`CRM_STATUS_*`), then the error message (UTF-8).
        case initialised = 18
        /// What `call` returned. Payload: i32 status, then the response bytes (status 0) or the error message.
        case result = 19
        /// The plugin's `log` callback. Payload: i32 level (`CRM_LOG_*`), then the message (UTF-8).
        case log = 20
        /// The plugin's `report_progress` for the call with this id. Payload: f64 fraction (IEEE 754 bits as
        /// u64), u8 1 when a message follows (0 for NULL), then the message (UTF-8).
        case progress = 21
    }

    package static let headerSize = 16
    /// 1 GiB: larger than any request crmd accepts, small enough that a corrupt length cannot make the reader
    /// allocate without bound.
    package static let maximumPayload = 1 << 30

    package var kind: Kind
    package var callID: UInt64
    package var payload: [UInt8]

    package init(_ kind: Kind, callID: UInt64 = 0, payload: [UInt8] = []) {
        self.kind = kind
        self.callID = callID
        self.payload = payload
    }

    /// The header and the payload, ready to write.
    package var encoded: [UInt8] {
        var writer = WireWriter(capacity: Self.headerSize + payload.count)
        writer.append(UInt32(payload.count))
        writer.append(kind.rawValue)
        writer.append(callID)
        writer.append(payload)
        return writer.bytes
    }

    /// A decoded header: the payload length, the kind and the call id.
    package struct Header: Sendable {
        package var length: Int
        package var kind: Kind
        package var callID: UInt64
    }

    /// Reads a header; throws ``WireError`` for an unknown kind or a length over ``maximumPayload``.
    package static func header(_ bytes: [UInt8]) throws -> Header {
        var reader = WireReader(bytes)
        let length = Int(try reader.uint32())
        let rawKind = try reader.uint32()
        let callID = try reader.uint64()
        guard let kind = Kind(rawValue: rawKind) else {
            throw WireError("unknown frame kind \(rawKind)")
        }
        guard length <= maximumPayload else {
            throw WireError("frame of \(length) bytes is over the limit of \(maximumPayload)")
        }
        return Header(length: length, kind: kind, callID: callID)
    }
}
