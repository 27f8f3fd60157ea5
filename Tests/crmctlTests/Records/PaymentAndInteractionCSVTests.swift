import CRMProto
import SwiftProtobuf
import Testing

@testable import crmctl

@Suite("PaymentCSV")
struct PaymentCSVTests {
    @Test("amounts use the row's currency; bad cells are reported")
    func decode() throws {
        let table = try CSVTable(
            text: "external_id,order_external_id,paid_time,amount,currency,method\n"
                + "P1,O1,2024-05-03T08:00:00Z,12.50,EUR,card\n"
                + "P2,O2,,1250,JPY,\n"
                + "P3,O3,soon,12.5.0,EUR,cash\n"
                + "P4,O4,,5,EURO,\n"
        )
        let file = PaymentCSV.decode(table)
        #expect(file.records.map(\.amountMinor) == [1250, 1250])
        #expect(file.records[0].paidTime.seconds == 1_714_723_200)
        #expect(file.records[1].hasPaidTime == false)
        #expect(file.lines == [[2], [3]])
        #expect(file.errors.map(\.line) == [4, 4, 5])
        #expect(file.errors.map(\.column) == ["paid_time", "amount", "currency"])
    }

    @Test("export then import gives the same payments and bytes")
    func roundTrip() throws {
        var payment = Crm_V1_Payment()
        payment.externalID = "P1"
        payment.orderExternalID = "O1"
        payment.amountMinor = 1_234_567
        payment.currencyCode = "KWD"
        payment.method = "transfer"
        payment.paidTime = Google_Protobuf_Timestamp(seconds: 1_714_723_200, nanos: 0)
        let csv = PaymentCSV.csv(for: [payment])
        #expect(
            csv
                == "external_id,order_external_id,paid_time,amount,currency,method\nP1,O1,2024-05-03T08:00:00Z,1234.567,KWD,transfer\n"
        )
        let file = PaymentCSV.decode(try CSVTable(text: csv))
        #expect(file.records == [payment])
    }
}

@Suite("InteractionCSV")
struct InteractionCSVTests {
    @Test("labels, durations and an optional body column")
    func decode() throws {
        let table = try CSVTable(
            text: "customer_external_id,kind,direction,occur_time,subject,duration_seconds\n"
                + "C1,Call,inbound,2024-05-03T08:00:00+02:00,Hello,300\n"
                + "C1,fax,sideways,2024-05-03,Bad,5m\n"
                + "C2,note,,2024-05-03,,\n"
        )
        let file = InteractionCSV.decode(table)
        #expect(file.records.count == 2)
        #expect(file.records[0].kind == .call)
        #expect(file.records[0].direction == .inbound)
        #expect(file.records[0].occurTime.seconds == 1_714_716_000)
        #expect(file.records[0].durationSeconds == 300)
        #expect(file.records[1].kind == .note)
        #expect(file.records[1].direction == .unspecified)
        #expect(file.records[1].durationSeconds == 0)
        #expect(file.errors.map(\.column) == ["kind", "direction", "duration_seconds"])
        #expect(file.errors.allSatisfy { $0.line == 3 })
    }

    @Test("a missing required column is an error")
    func missingColumn() throws {
        let file = InteractionCSV.decode(try CSVTable(text: "customer_external_id,kind\nC1,call\n"))
        #expect(file.errors.map(\.description) == ["line 1: occur_time: required column is missing"])
    }

    @Test("export writes body last; a body with quotes, commas and lines survives the round trip")
    func roundTrip() throws {
        var interaction = Crm_V1_Interaction()
        interaction.externalID = "I1"
        interaction.customerExternalID = "C1"
        interaction.kind = .meeting
        interaction.direction = .internal
        interaction.occurTime = Google_Protobuf_Timestamp(seconds: 1_714_716_000, nanos: 0)
        interaction.subject = "Plan, \"phase 2\""
        interaction.outcome = "follow-up"
        interaction.topic = "cloud"
        interaction.durationSeconds = 3600
        interaction.body = "Agenda:\r\n1. budget\n2. timing"
        let csv = InteractionCSV.csv(for: [interaction])
        #expect(csv.hasPrefix(InteractionCSV.columns.joined(separator: ",") + "\n"))
        #expect(InteractionCSV.columns.last == "body")
        let file = InteractionCSV.decode(try CSVTable(text: csv))
        #expect(file.records == [interaction])
        #expect(InteractionCSV.csv(for: file.records) == csv)
    }
}
