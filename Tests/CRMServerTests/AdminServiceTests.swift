import CRMProto
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

@Suite("AdminService and grpc.health.v1.Health")
struct AdminServiceTests {
    @Test("GetVersion names the daemon, API, SQLite and schema versions")
    func version() async throws {
        try await withDaemon { daemon in
            let version = try await daemon.admin.getVersion(Crm_V1_GetVersionRequest())
            #expect(version.version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+.*/) != nil, "version \(version.version)")
            #expect(version.apiVersion == "crm.v1")
            #expect(version.storageEngine == "sqlite")
            #expect(version.storageVersion.hasPrefix("3."), "sqlite \(version.storageVersion)")
            #expect(version.schemaVersion >= 1)
        }
    }

    @Test("GetStats counts records and reports size, uptime, start time and data dir")
    func stats() async throws {
        try await withDaemon { daemon in
            let empty = try await daemon.stats()
            #expect(empty.customers == 0 && empty.orders == 0 && empty.payments == 0 && empty.interactions == 0)

            let one = try await daemon.createCustomer(Fixture.customer("One"))
            let two = try await daemon.createCustomer(Fixture.customer("Two"))
            let order = try await daemon.createOrder(
                Fixture.order(
                    customer: one.name,
                    items: [Fixture.lineItem("Pen", category: "office", quantity: 3, unitPrice: 150)]
                )
            )
            _ = try await daemon.createPayment(Fixture.payment(order: order.name, amount: 450))
            _ = try await daemon.createInteraction(Fixture.interaction(customer: two.name))
            var delete = Crm_V1_DeleteCustomerRequest()
            delete.name = two.name
            _ = try await daemon.customers.deleteCustomer(delete)
            try await Task.sleep(for: .milliseconds(1100))

            let stats = try await daemon.stats()
            #expect(stats.customers == 1 || stats.customers == 2, "customers \(stats.customers)")
            #expect(stats.deletedCustomers == 1)
            #expect(stats.orders == 1)
            #expect(stats.payments == 1)
            #expect(stats.interactions == 1)
            #expect(stats.databaseSizeBytes > 0)
            #expect(stats.hasUptime)
            let uptime = Double(stats.uptime.seconds) + Double(stats.uptime.nanos) / 1e9
            #expect(uptime >= 1.0 && uptime < 600, "uptime \(uptime)")
            let now = Date().timeIntervalSince1970
            let start = stats.startTime.date.timeIntervalSince1970
            #expect(start <= now && start > now - 600, "start_time \(stats.startTime)")
            #expect(
                URL(fileURLWithPath: stats.dataDir).standardizedFileURL.resolvingSymlinksInPath().path
                    == URL(fileURLWithPath: daemon.dataDir).resolvingSymlinksInPath().path,
                "data_dir \(stats.dataDir)"
            )
        }
    }

    @Test("health: the server and each crm.v1 service are SERVING; unknown services NOT_FOUND")
    func health() async throws {
        try await withDaemon { daemon in
            var request = Grpc_Health_V1_HealthCheckRequest()
            let server = try await daemon.health.check(request)
            #expect(server.status == .serving)
            for service in [
                "crm.v1.CustomerService", "crm.v1.OrderService", "crm.v1.InteractionService", "crm.v1.AdminService",
            ] {
                request.service = service
                let answer = try await daemon.health.check(request)
                #expect(answer.status == .serving, "\(service)")
            }
            request.service = "no.such.Service"
            await expectRPCError(.notFound, "unknown service") { try await daemon.health.check(request) }
        }
    }

    @Test("the data folder is created and holds crmd.sqlite3 in WAL mode")
    func dataFolder() async throws {
        try await withDaemon { daemon in
            try await daemon.createCustomer(Fixture.customer("Someone"))
            let files = try FileManager.default.contentsOfDirectory(atPath: daemon.dataDir)
            #expect(files.contains("crmd.sqlite3"), "files \(files)")
            #expect(files.contains("crmd.sqlite3-wal"), "WAL mode leaves a -wal file while open: \(files)")
            let header = try #require(
                FileHandle(forReadingAtPath: daemon.dataDir + "/crmd.sqlite3")?.readData(ofLength: 20)
            )
            #expect(header.starts(with: Array("SQLite format 3".utf8)))
            // Bytes 18 and 19 are the read/write format versions: 2 means WAL.
            #expect(header.count == 20 && header[18] == 2 && header[19] == 2, "not in WAL mode")
        }
    }
}
