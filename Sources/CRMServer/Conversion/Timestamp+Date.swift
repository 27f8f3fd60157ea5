import CRMCore
import CRMProto
import Foundation
import SwiftProtobuf

extension Google_Protobuf_Timestamp {
    /// The timestamp at the store's precision (microseconds).
    ///
    /// Requests are checked by ``TimeFieldCheck`` before a service sees them; the clamp to the
    /// checked range only keeps a value that bypassed it from overflowing (which would trap).
    var microsecondDate: Date {
        let seconds = min(max(seconds, TimeFieldCheck.earliestSeconds), TimeFieldCheck.latestSeconds)
        let nanos = min(max(nanos, 0), 999_999_999)
        return Date(microsecondsSince1970: seconds * 1_000_000 + Int64(nanos / 1000))
    }

    init(microsecondDate date: Date) {
        let micros = date.microsecondsSince1970
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        self.init(seconds: seconds, nanos: Int32(micros - seconds * 1_000_000) * 1000)
    }
}
