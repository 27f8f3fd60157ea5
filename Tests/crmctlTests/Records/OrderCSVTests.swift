import CRMProto
import SwiftProtobuf
import Testing

@testable import crmctl

@Suite("OrderCSV")
struct OrderCSVTests {
    static let header =
        "order_external_id,customer_external_id,order_time,currency,sku,product_name,category,quantity,unit_price,status"

    func decode(_ text: String) throws -> DecodedFile<Crm_V1_Order> {
        OrderCSV.decode(try CSVTable(text: text))
    }

    @Test("rows group into orders by order_external_id, consecutive or not")
    func grouping() throws {
        let file = try decode(
            Self.header + "\n"
                + "O1,C1,2024-05-01T10:00:00Z,EUR,A,Alpha,software,2,12.50,completed\n"
                + "O2,C2,2024-05-02,JPY,B,Beta,hardware,1,1200,pending\n"
                + "O1,,,,C,Gamma,training,3,0.99,\n"
                + "O1,C1,2024-05-01T10:00:00Z,EUR,D,Delta,support,1,100,completed\n"
        )
        #expect(file.errors.isEmpty)
        #expect(file.rowCount == 4)
        #expect(file.records.map(\.externalID) == ["O1", "O2"])
        #expect(file.lines == [[2, 4, 5], [3]])
        let first = file.records[0]
        #expect(first.customerExternalID == "C1")
        #expect(first.currencyCode == "EUR")
        #expect(first.status == .completed)
        #expect(first.orderTime.seconds == 1_714_557_600)
        #expect(first.lineItems.map(\.productName) == ["Alpha", "Gamma", "Delta"])
        #expect(first.lineItems.map(\.unitPriceMinor) == [1250, 99, 10000])
        #expect(first.lineItems.map(\.quantity) == [2, 3, 1])
        #expect(file.records[1].lineItems[0].unitPriceMinor == 1200)  // JPY has no minor unit
    }

    @Test("a row without order_external_id is an order of its own")
    func ungrouped() throws {
        let file = try decode(Self.header + "\n,C1,,EUR,,A,x,1,1,\n,C1,,EUR,,B,x,1,1,\n")
        #expect(file.records.count == 2)
        #expect(file.lines == [[2], [3]])
    }

    @Test("prices follow the currency's exponent")
    func exponents() throws {
        let file = try decode(
            Self.header + "\nO1,C1,,KWD,,A,x,1,1.250,\nO2,C1,,CLF,,A,x,1,0.0001,\nO3,C1,,usd,,A,x,1,3,\n"
        )
        #expect(file.errors.isEmpty)
        #expect(file.records.map { $0.lineItems[0].unitPriceMinor } == [1250, 1, 300])
        #expect(file.records[2].currencyCode == "USD")
    }

    @Test("bad numbers, labels and disagreeing order fields are reported; the whole order is left out")
    func badCells() throws {
        let file = try decode(
            Self.header + "\n"
                + "O1,C1,,EUR,,A,x,2.5,12.505,done\n"
                + "O2,C2,,EUR,,B,x,1,1,\n"
                + "O2,C3,,USD,,C,x,1,1,\n"
                + "O3,C4,,,,D,x,1,1,\n"
                + "O4,C4,2024-02-30,EUR,,E,x,1,1,\n"
        )
        #expect(file.records.isEmpty)
        #expect(
            file.errors.map(\.description) == [
                "line 2: status: unknown value \"done\", expected one of pending|confirmed|shipped|completed|cancelled|refunded",
                "line 2: quantity: not a whole number: \"2.5\"",
                "line 2: unit_price: amount \"12.505\" has more than 2 decimals",
                "line 4: customer_external_id: \"C3\" differs from \"C2\" on line 3, same order",
                "line 4: currency: USD differs from EUR on line 3, same order",
                "line 5: currency: required to read unit_price",
                "line 6: order_time: no such day: \"2024-02-30\"",
            ]
        )
    }

    @Test("required columns are checked, unknown ones rejected")
    func header() throws {
        let file = try decode(
            "order_external_id,customer_external_id,currency,product_name,category,quantity,price\nO1,C1,EUR,A,x,1,1\n"
        )
        #expect(file.records.isEmpty)
        #expect(file.errors.map(\.column) == ["price", "order_time", "unit_price"])
    }

    @Test("export writes one row per line item; import of that gives the orders back, byte for byte")
    func roundTrip() throws {
        var order = Crm_V1_Order()
        order.externalID = "O1"
        order.customerExternalID = "C1"
        order.currencyCode = "EUR"
        order.status = .shipped
        order.orderTime = Google_Protobuf_Timestamp(seconds: 1_714_557_600, nanos: 0)
        for (name, price) in [("Laptop 14\"", Int64(109_900)), ("Paper, A4", 3_290)] {
            var item = Crm_V1_LineItem()
            item.sku = "S-\(price)"
            item.productName = name
            item.category = "hardware"
            item.quantity = 3
            item.unitPriceMinor = price
            order.lineItems.append(item)
        }
        var yen = Crm_V1_Order()
        yen.externalID = "O2"
        yen.customerExternalID = "C2"
        yen.currencyCode = "JPY"
        var item = Crm_V1_LineItem()
        item.productName = "Tea"
        item.category = "food"
        item.quantity = 1
        item.unitPriceMinor = 1200
        yen.lineItems = [item]

        let csv = OrderCSV.csv(for: [order, yen])
        #expect(csv.split(separator: "\n").count == 4)
        #expect(csv.contains("O1,C1,2024-05-01T10:00:00Z,EUR,S-109900,\"Laptop 14\"\"\",hardware,3,1099.00,shipped"))
        #expect(csv.contains("O2,C2,,JPY,,Tea,food,1,1200,"))
        let file = try decode(csv)
        #expect(file.errors.isEmpty)
        #expect(file.records == [order, yen])
        #expect(OrderCSV.csv(for: file.records) == csv)
    }
}
