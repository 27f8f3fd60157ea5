import CRMProto
import Testing

@testable import crmctl

@Suite("Durations, labels and line items")
struct ArgumentValuesTests {
    @Test(
        "durations",
        arguments: [
            ("300", Int64(300)), ("300s", 300), ("5m", 300), ("1h30m", 5400), ("1h 5m 10s", 3910), ("0", 0),
            ("2H", 7200), ("90d", 7_776_000), ("2w", 1_209_600), ("1d12h", 129_600),
        ]
    )
    func durations(text: String, seconds: Int64) throws {
        #expect(try DurationText.seconds(text) == seconds)
    }

    @Test("not durations", arguments: ["", "5x", "m", "-5", "1.5h", "5m3", "h5", "d", "1.5d"])
    func notDurations(text: String) {
        #expect(throws: ValueError.self) { try DurationText.seconds(text) }
    }

    @Test("labels ignore case; empty is unspecified; unknown ones list the choices")
    func labels() throws {
        #expect(try Crm_V1_LifecycleStage.parse(label: " Lead ") == .lead)
        #expect(try Crm_V1_LifecycleStage.parse(label: "") == .unspecified)
        #expect(try Crm_V1_OrderStatus.parse(label: "REFUNDED") == .refunded)
        #expect(try Crm_V1_InteractionKind.parse(label: "meeting") == .meeting)
        #expect(try Crm_V1_Direction.parse(label: "internal") == .internal)
        #expect(throws: ValueError("unknown value \"won\", expected one of lead|prospect|customer|churned")) {
            try Crm_V1_LifecycleStage.parse(label: "won")
        }
        #expect(Crm_V1_OrderStatus.completed.label == "completed")
        #expect(Crm_V1_OrderStatus.unspecified.label == "")
        #expect(Crm_V1_OrderStatus.UNRECOGNIZED(42).label == "")
    }

    @Test("line items from --item, commas inside a value kept")
    func lineItem() throws {
        let item = try LineItemArgument.parse(
            "sku=A-1,name=Desk, large,category=office-supplies,qty=2,price=12.50",
            exponent: 2
        )
        #expect(item.sku == "A-1")
        #expect(item.productName == "Desk, large")
        #expect(item.category == "office-supplies")
        #expect(item.quantity == 2)
        #expect(item.unitPriceMinor == 1250)
        let yen = try LineItemArgument.parse("product_name=Tea,category=food,quantity=3,unit_price=1200", exponent: 0)
        #expect(yen.unitPriceMinor == 1200)
        #expect(yen.sku == "")
    }

    @Test(
        "line items that are incomplete or wrong",
        arguments: [
            "name=Desk,category=x,qty=2", "name=Desk,category=x,qty=two,price=1",
            "name=Desk,category=x,qty=1,price=1.234",
            "Desk", "name=A,name=B,category=x,qty=1,price=1",
        ]
    )
    func badLineItems(text: String) {
        #expect(throws: ValueError.self) { try LineItemArgument.parse(text, exponent: 2) }
    }
}
