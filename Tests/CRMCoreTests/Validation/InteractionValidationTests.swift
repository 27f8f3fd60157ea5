import CRMCore
import Foundation
import Testing

@Suite("Interaction validation")
struct InteractionValidationTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("normalises a valid interaction")
    func normalises() throws {
        let interaction = Interaction(
            customerID: 9,
            externalID: " call-1 ",
            kind: .call,
            direction: .inbound,
            occurTime: now.addingTimeInterval(-600),
            subject: " Delivery question ",
            body: "Asked about the delivery.\n\tPromised a call back.\n",
            outcome: " Resolved ",
            topic: " delivery ",
            durationSeconds: 86_400
        )
        let validated = try interaction.validated(field: "interaction", now: now)
        #expect(validated.externalID == "call-1")
        #expect(validated.subject == "Delivery question")
        #expect(validated.body == "Asked about the delivery.\n\tPromised a call back.")
        #expect(validated.outcome == "resolved")
        #expect(validated.topic == "delivery")
        #expect(validated.durationSeconds == 86_400)
        #expect(validated.kind == .call)
    }

    @Test("accepts a customer named by external id alone")
    func customerByExternalID() throws {
        let interaction = Interaction(customerExternalID: "SAP-7", kind: .note, occurTime: now)
        #expect(try interaction.validated(field: "interaction", now: now).customerExternalID == "SAP-7")
    }

    @Test("reports every wrong field in one error")
    func everyViolation() throws {
        let interaction = Interaction(
            customerExternalID: "  ",
            externalID: "a,b",
            kind: .unspecified,
            occurTime: Date(timeIntervalSince1970: 0),
            subject: String(repeating: "s", count: 501),
            body: "text\u{0}",
            outcome: String(repeating: "o", count: 65),
            topic: "bell\u{7}",
            durationSeconds: -1
        )
        let error = #expect(throws: CRMError.self) { try interaction.validated(field: "interaction", now: now) }
        #expect(
            error?.violations
                == [
                    .init(field: "interaction.customer", description: "customer or customer_external_id is required"),
                    .init(
                        field: "interaction.external_id",
                        description: "may contain only letters, digits and - _ . : / @ # (found \",\")"
                    ),
                    .init(field: "interaction.kind", description: "is required"),
                    .init(field: "interaction.occur_time", description: "is required"),
                    .init(field: "interaction.subject", description: "must be at most 500 characters (got 501)"),
                    .init(field: "interaction.body", description: "must not contain NUL characters"),
                    .init(field: "interaction.outcome", description: "must be at most 64 characters (got 65)"),
                    .init(
                        field: "interaction.topic",
                        description: "must not contain control characters (found U+0007)"
                    ),
                    .init(field: "interaction.duration_seconds", description: "must be between 0 and 86400 (got -1)"),
                ]
        )
    }

    @Test("the subject is one line, the body may have many")
    func lines() throws {
        let interaction = Interaction(
            customerID: 1,
            kind: .email,
            occurTime: now,
            subject: "Re:\nOrder",
            body: "Line 1\nLine 2"
        )
        let error = #expect(throws: CRMError.self) { try interaction.validated(field: "interaction", now: now) }
        #expect(error?.violations.map(\.field) == ["interaction.subject"])
    }

    @Test("the body may have up to 100,000 characters")
    func bodyLength() throws {
        let longest = Interaction(
            customerID: 1,
            kind: .note,
            occurTime: now,
            body: String(repeating: "b", count: 100_000)
        )
        #expect(try longest.validated(field: "interaction", now: now).body.count == 100_000)
        let tooLong = Interaction(
            customerID: 1,
            kind: .note,
            occurTime: now,
            body: String(repeating: "b", count: 100_001)
        )
        let error = #expect(throws: CRMError.self) { try tooLong.validated(field: "interaction", now: now) }
        #expect(
            error?.violations == [
                .init(field: "interaction.body", description: "must be at most 100000 characters (got 100001)")
            ]
        )
    }

    @Test(
        "duration_seconds is 0 to one day",
        arguments: [(Int32(0), true), (86_400, true), (86_401, false), (Int32.min, false)]
    )
    func duration(seconds: Int32, valid: Bool) throws {
        let interaction = Interaction(customerID: 1, kind: .meeting, occurTime: now, durationSeconds: seconds)
        if valid {
            #expect(try interaction.validated(field: "interaction", now: now).durationSeconds == seconds)
        } else {
            let error = #expect(throws: CRMError.self) { try interaction.validated(field: "interaction", now: now) }
            #expect(error?.violations.map(\.field) == ["interaction.duration_seconds"])
        }
    }
}
