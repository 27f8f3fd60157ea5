import SwiftProtobuf
import Testing

@testable import crmctl

@Suite("RFC3339 and CivilDate")
struct TimestampsTests {
    /// 2024-01-01T00:00:00Z.
    static let newYear2024: Int64 = 1_704_067_200

    @Test(
        "RFC 3339 times and bare dates",
        arguments: [
            ("2024-01-01", newYear2024, Int32(0)),
            ("2024-01-01T00:00:00Z", newYear2024, 0),
            ("2024-01-01t00:00:00z", newYear2024, 0),
            ("2024-01-01T01:00:00+01:00", newYear2024, 0),
            ("2023-12-31T19:00:00-05:00", newYear2024, 0),
            ("2024-01-01 10:00Z", newYear2024 + 36_000, 0),
            ("2024-01-01T00:00:00.5Z", newYear2024, 500_000_000),
            ("2024-01-01T00:00:00.123456789Z", newYear2024, 123_456_789),
            ("2024-02-29", newYear2024 + 59 * 86_400, 0),
            ("1970-01-01T00:00:00Z", 0, 0),
            ("1969-12-31T23:59:59Z", -1, 0),
            ("  2024-01-01  ", newYear2024, 0),
        ]
    )
    func parse(text: String, seconds: Int64, nanos: Int32) throws {
        let time = try RFC3339.parse(text)
        #expect(time.seconds == seconds)
        #expect(time.nanos == nanos)
    }

    @Test(
        "text that is not a time",
        arguments: [
            "", "yesterday", "2024-02-30", "2023-02-29", "2024-13-01", "2024-1-01", "2024-01-01T10:00:00",
            "2024-01-01T25:00:00Z", "2024-01-01T10:60:00Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00+1",
            "2024-01-01T00:00:00Zjunk", "0000-01-01",
        ]
    )
    func rejects(text: String) {
        #expect(throws: ValueError.self) { try RFC3339.parse(text) }
    }

    @Test("a time without a zone says how to fix it")
    func missingZone() {
        #expect(throws: ValueError("time without a zone (add Z or an offset like +01:00): \"2024-01-01T10:00:00\"")) {
            try RFC3339.parse("2024-01-01T10:00:00")
        }
    }

    @Test(
        "formatting: UTC with Z, fractional digits only when not zero, in groups of three",
        arguments: [
            (newYear2024, Int32(0), "2024-01-01T00:00:00Z"),
            (newYear2024 + 3_723, 500_000_000, "2024-01-01T01:02:03.500Z"),
            (newYear2024, 1_000, "2024-01-01T00:00:00.000001Z"),
            (newYear2024, 1, "2024-01-01T00:00:00.000000001Z"),
            (newYear2024, 123_456_789, "2024-01-01T00:00:00.123456789Z"),
            (-1, 0, "1969-12-31T23:59:59Z"),
            (RFC3339.minSeconds, 0, "0001-01-01T00:00:00Z"),
            (RFC3339.maxSeconds, 0, "9999-12-31T23:59:59Z"),
        ]
    )
    func format(seconds: Int64, nanos: Int32, expected: String) {
        #expect(RFC3339.format(Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)) == expected)
    }

    @Test("an unset time is empty")
    func unset() throws {
        #expect(RFC3339.format(Google_Protobuf_Timestamp(seconds: 5), isSet: false) == "")
        #expect(try RFC3339.parseOptional(" ") == nil)
    }

    @Test("formatting then parsing gives the same instant")
    func roundTrip() throws {
        var seconds: Int64 = -5_000_000_000
        while seconds < 200_000_000_000 {
            for nanos: Int32 in [0, 1, 120_000_000, 999_999_999] {
                let time = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
                #expect(try RFC3339.parse(RFC3339.format(time)) == time)
            }
            seconds += 7_777_777_777
        }
    }

    @Test("civil dates convert both ways and know their weekday")
    func civilDates() {
        #expect(CivilDate(year: 2024, month: 1, day: 1).daysSinceEpoch * 86_400 == Self.newYear2024)
        #expect(CivilDate(daysSinceEpoch: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(year: 2024, month: 1, day: 1).weekday == 0)  // a Monday
        #expect(CivilDate(year: 2026, month: 1, day: 1).weekday == 3)  // a Thursday
        #expect(CivilDate(year: 1969, month: 12, day: 31).weekday == 2)  // a Wednesday
        for days in stride(from: Int64(-800_000), to: 3_000_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(year: 7, month: 3, day: 9).text == "0007-03-09")
    }
}
