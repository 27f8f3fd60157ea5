import CRMCore
import Foundation
import Testing

@Suite("Payment validation")
struct PaymentValidationTests {
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    @Test("normalises a valid payment")
    func normalises() throws {
        let payment = Payment(
            orderExternalID: " shop:1001 ",
            externalID: " psp-77 ",
            amountMinor: 10_000_000_000_000,
            currencyCode: "bhd",
            paidTime: now,
            method: " Bank_Transfer "
        )
        let validated = try payment.validated(field: "payment", now: now)
        #expect(validated.orderExternalID == "shop:1001")
        #expect(validated.externalID == "psp-77")
        #expect(validated.currencyCode == "BHD")
        #expect(validated.method == "bank_transfer")
        #expect(validated.amountMinor == 10_000_000_000_000)
    }

    @Test("a payment without a method is valid")
    func noMethod() throws {
        let payment = Payment(orderID: 3, amountMinor: 1, currencyCode: "EUR", paidTime: now)
        #expect(try payment.validated(field: "payment", now: now).method == "")
    }

    @Test("reports every wrong field in one error")
    func everyViolation() throws {
        let payment = Payment(
            externalID: "x y",
            amountMinor: 0,
            currencyCode: "XYZ",
            paidTime: Date(timeIntervalSince1970: 0),
            method: "Credit Card"
        )
        let error = #expect(throws: CRMError.self) { try payment.validated(field: "payments[1]", now: now) }
        #expect(error?.code == .invalidArgument)
        #expect(
            error?.violations.map(\.field)
                == [
                    "payments[1].order",
                    "payments[1].external_id",
                    "payments[1].amount_minor",
                    "payments[1].currency_code",
                    "payments[1].method",
                    "payments[1].paid_time",
                ]
        )
        #expect(error?.violations.first?.description == "order or order_external_id is required")
        #expect(error?.violations[2].description == "must be between 1 and 10000000000000 (got 0)")
        #expect(error?.violations[4].description == "may contain only ASCII letters, digits, - and _ (found spaces)")
        #expect(error?.violations[5].description == "is required")
    }

    @Test(
        "amount_minor is 1 to 10^13",
        arguments: [(Int64(-5), false), (1, true), (10_000_000_000_000, true), (10_000_000_000_001, false)]
    )
    func amount(amount: Int64, valid: Bool) throws {
        let payment = Payment(orderID: 1, amountMinor: amount, currencyCode: "EUR", paidTime: now)
        if valid {
            #expect(try payment.validated(field: "payment", now: now).amountMinor == amount)
        } else {
            let error = #expect(throws: CRMError.self) { try payment.validated(field: "payment", now: now) }
            #expect(error?.violations.map(\.field) == ["payment.amount_minor"])
        }
    }

    @Test("method is at most 32 characters")
    func methodLength() throws {
        let payment = Payment(
            orderID: 1,
            amountMinor: 1,
            currencyCode: "EUR",
            paidTime: now,
            method: String(repeating: "m", count: 33)
        )
        let error = #expect(throws: CRMError.self) { try payment.validated(field: "payment", now: now) }
        #expect(
            error?.violations == [.init(field: "payment.method", description: "must be at most 32 characters (got 33)")]
        )
    }

    @Test("paid_time may not lie more than a day ahead")
    func paidTimeFuture() throws {
        let payment = Payment(orderID: 1, amountMinor: 1, currencyCode: "EUR", paidTime: now.addingTimeInterval(86_401))
        let error = #expect(throws: CRMError.self) { try payment.validated(field: "payment", now: now) }
        #expect(error?.violations.map(\.field) == ["payment.paid_time"])
    }
}
