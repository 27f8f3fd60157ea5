import CRMCore
import CRMProto
import Foundation
import SwiftProtobuf

/// Refuses any `google.protobuf.Timestamp` or `google.protobuf.Duration` in a request that lies
/// outside the range protobuf documents for them, wherever it sits in the message.
///
/// Timestamps must fall in years 1–9999 (RFC 3339): seconds from −62,135,596,800
/// (0001-01-01T00:00:00Z) to 253,402,300,799 (9999-12-31T23:59:59Z), nanos 0…999,999,999.
/// Durations must stay within ±10,000 years (±315,576,000,000 s) with nanos of the same sign and
/// below one second. Converting a value beyond these to a `Date` or to microseconds overflows, and
/// an overflow traps: one request crashed the daemon that way (issue 9). The check walks every
/// message field, so a time field added to any request later is covered without a line here.
enum TimeFieldCheck {
    static let earliestSeconds: Int64 = -62_135_596_800
    static let latestSeconds: Int64 = 253_402_300_799
    static let durationLimitSeconds: Int64 = 315_576_000_000

    /// Throws an INVALID_ARGUMENT ``CRMError`` naming every out-of-range time field of `message`.
    static func check(_ message: any SwiftProtobuf.Message) throws {
        var walker = Walker(parent: type(of: message), path: [])
        try message.traverse(visitor: &walker)
        guard !walker.violations.isEmpty else { return }
        var collector = ViolationCollector()
        for violation in walker.violations {
            collector.add(violation.path.map(\.text).joined(separator: "."), violation.problem)
        }
        try collector.throwIfAny()
    }

    static func problem(with timestamp: Google_Protobuf_Timestamp) -> String? {
        guard (earliestSeconds...latestSeconds).contains(timestamp.seconds),
            (0..<1_000_000_000).contains(timestamp.nanos)
        else {
            return "must be a time from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z with nanos "
                + "0 to 999999999 (got seconds \(timestamp.seconds), nanos \(timestamp.nanos))"
        }
        return nil
    }

    static func problem(with duration: Google_Protobuf_Duration) -> String? {
        let sameSign =
            duration.seconds == 0 || duration.nanos == 0 || (duration.seconds > 0) == (duration.nanos > 0)
        guard (-durationLimitSeconds...durationLimitSeconds).contains(duration.seconds),
            (-999_999_999...999_999_999).contains(duration.nanos), sameSign
        else {
            return "must be a duration within ±10000 years, nanos below one second and of the seconds' sign "
                + "(got seconds \(duration.seconds), nanos \(duration.nanos))"
        }
        return nil
    }

    /// One step of a field path, its name resolved only when a violation is reported.
    struct Step {
        var parent: any SwiftProtobuf.Message.Type
        var number: Int
        var index: Int?
        var key: String?

        var text: String {
            let name = TimeFieldCheck.fieldName(number, in: parent)
            if let index { return "\(name)[\(index)]" }
            if let key { return "\(name)[\(key)]" }
            return name
        }
    }

    /// The proto name of field `number` of `type`: a message holding an empty sub-message under that
    /// number, printed in text format, starts with the name. SwiftProtobuf keeps its name tables
    /// internal; this runs only when a violation is reported.
    static func fieldName(_ number: Int, in type: any SwiftProtobuf.Message.Type) -> String {
        var tag = UInt64(number) << 3 | 2
        var bytes: [UInt8] = []
        while tag >= 0x80 {
            bytes.append(UInt8(tag & 0x7F) | 0x80)
            tag >>= 7
        }
        bytes.append(UInt8(tag))
        bytes.append(0)
        guard let probe = try? type.init(serializedBytes: bytes) else { return "#\(number)" }
        let text = probe.textFormatString()
        let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? "#\(number)" : String(name)
    }

    struct Violation {
        var path: [Step]
        var problem: String
    }

    /// Visits every field; only message fields matter.
    struct Walker: SwiftProtobuf.Visitor {
        let parent: any SwiftProtobuf.Message.Type
        let path: [Step]
        var violations: [Violation] = []

        init(parent: any SwiftProtobuf.Message.Type, path: [Step]) {
            self.parent = parent
            self.path = path
        }

        mutating func visit(_ value: some SwiftProtobuf.Message, at step: Step) throws {
            if let timestamp = value as? Google_Protobuf_Timestamp {
                if let problem = TimeFieldCheck.problem(with: timestamp) {
                    violations.append(Violation(path: path + [step], problem: problem))
                }
                return
            }
            if let duration = value as? Google_Protobuf_Duration {
                if let problem = TimeFieldCheck.problem(with: duration) {
                    violations.append(Violation(path: path + [step], problem: problem))
                }
                return
            }
            var inner = Walker(parent: type(of: value), path: path + [step])
            try value.traverse(visitor: &inner)
            violations += inner.violations
        }

        mutating func visitSingularMessageField<M: SwiftProtobuf.Message>(value: M, fieldNumber: Int) throws {
            try visit(value, at: Step(parent: parent, number: fieldNumber))
        }

        mutating func visitRepeatedMessageField<M: SwiftProtobuf.Message>(value: [M], fieldNumber: Int) throws {
            for (index, element) in value.enumerated() {
                try visit(element, at: Step(parent: parent, number: fieldNumber, index: index))
            }
        }

        mutating func visitMapField<KeyType, ValueType>(
            fieldType: _ProtobufMessageMap<KeyType, ValueType>.Type,
            value: _ProtobufMessageMap<KeyType, ValueType>.BaseType,
            fieldNumber: Int
        ) throws {
            for (key, element) in value {
                try visit(element, at: Step(parent: parent, number: fieldNumber, key: "\(key)"))
            }
        }

        // Scalars, strings, enums and maps of scalars hold no time.
        mutating func visitSingularDoubleField(value: Double, fieldNumber: Int) throws {}
        mutating func visitSingularInt64Field(value: Int64, fieldNumber: Int) throws {}
        mutating func visitSingularUInt64Field(value: UInt64, fieldNumber: Int) throws {}
        mutating func visitSingularBoolField(value: Bool, fieldNumber: Int) throws {}
        mutating func visitSingularStringField(value: String, fieldNumber: Int) throws {}
        mutating func visitSingularBytesField(value: Data, fieldNumber: Int) throws {}
        mutating func visitSingularEnumField<E: SwiftProtobuf.Enum>(value: E, fieldNumber: Int) throws {}
        mutating func visitRepeatedFloatField(value: [Float], fieldNumber: Int) throws {}
        mutating func visitRepeatedDoubleField(value: [Double], fieldNumber: Int) throws {}
        mutating func visitRepeatedInt32Field(value: [Int32], fieldNumber: Int) throws {}
        mutating func visitRepeatedInt64Field(value: [Int64], fieldNumber: Int) throws {}
        mutating func visitRepeatedStringField(value: [String], fieldNumber: Int) throws {}
        mutating func visitRepeatedBytesField(value: [Data], fieldNumber: Int) throws {}
        mutating func visitPackedFloatField(value: [Float], fieldNumber: Int) throws {}
        mutating func visitPackedDoubleField(value: [Double], fieldNumber: Int) throws {}
        mutating func visitPackedInt32Field(value: [Int32], fieldNumber: Int) throws {}
        mutating func visitPackedInt64Field(value: [Int64], fieldNumber: Int) throws {}
        mutating func visitMapField<KeyType, ValueType: MapValueType>(
            fieldType: _ProtobufMap<KeyType, ValueType>.Type,
            value: _ProtobufMap<KeyType, ValueType>.BaseType,
            fieldNumber: Int
        ) throws {}
        mutating func visitMapField<KeyType, ValueType>(
            fieldType: _ProtobufEnumMap<KeyType, ValueType>.Type,
            value: _ProtobufEnumMap<KeyType, ValueType>.BaseType,
            fieldNumber: Int
        ) throws {}
        mutating func visitUnknown(bytes: Data) throws {}
    }
}
