import CRMProto
import Foundation
import GRPCCore
import GRPCProtobuf
import Testing

@Suite("Finding duplicates: a job over the registry, groups listed with their signals, then merged")
struct FindDuplicatesTests {
    @Test("a typo'd twin and a swapped-name twin are grouped; namesakes elsewhere are not; a merged group drops out")
    func findListMerge() async throws {
        try await withDaemon { daemon in
            let duplicates = daemon.connection.duplicates
            let anna = try await daemon.createCustomer(
                Fixture.customer("Anna Berger", email: "anna.berger@gmail.com", city: "Graz", country: "AT")
            )
            let annaTwin = try await daemon.createCustomer(
                Fixture.customer("Ana Berger", email: "annaberger+shop@gmail.com", city: "Graz", country: "AT")
            )
            let jan = try await daemon.createCustomer(
                Fixture.customer("Jan Novak", phone: "+420 601 234 567", city: "Brno", country: "CZ")
            )
            let janTwin = try await daemon.createCustomer(
                Fixture.customer("Novak Jan", phone: "+420601234567", city: "Brno", country: "CZ")
            )
            // Namesakes: same name, other city, other email and phone.
            let maria = try await daemon.createCustomer(
                Fixture.customer(
                    "Maria Huber",
                    email: "maria@huber.at",
                    phone: "+43 1 5550001",
                    city: "Wien",
                    country: "AT"
                )
            )
            let otherMaria = try await daemon.createCustomer(
                Fixture.customer(
                    "Maria Huber",
                    email: "mhuber@example.de",
                    phone: "+49 89 5550002",
                    city: "München",
                    country: "DE"
                )
            )

            // Nothing ran yet: no groups, no find time.
            let before = try await duplicates.listDuplicateGroups(.init())
            #expect(before.groups.isEmpty && !before.hasFindTime)

            await expectRPCError(.invalidArgument, field: "threshold") {
                try await duplicates.findDuplicates(.with { $0.threshold = 1.5 })
            }
            await expectRPCError(.invalidArgument, field: "filter") {
                try await duplicates.findDuplicates(.with { $0.filter = "shoe_size = 3" })
            }

            let started = try await duplicates.findDuplicates(.init())
            #expect(started.kind == "find-duplicates")
            let jobs = Crm_V1_JobService.Client(wrapping: daemon.connection.grpc)
            let last = try await jobs.waitJob(.with { $0.name = started.name }) { response in
                var last: Crm_V1_Job?
                for try await job in response.messages { last = job }
                return last
            }
            let job = try #require(last)
            #expect(job.state == .succeeded && job.result.contains("2 groups among 6 customers"), "\(job)")

            let listed = try await duplicates.listDuplicateGroups(.init())
            #expect(listed.hasFindTime && listed.threshold > 0 && listed.totalSize == 2, "\(listed)")
            let groups = Set(listed.groups.map { Set($0.members.map(\.name)) })
            #expect(groups == [[anna.name, annaTwin.name], [jan.name, janTwin.name]], "\(listed)")
            #expect(!groups.contains { $0.contains(maria.name) || $0.contains(otherMaria.name) })
            let janGroup = try #require(listed.groups.first { $0.members.contains { $0.name == jan.name } })
            #expect(janGroup.signals.contains("phone") && janGroup.score >= listed.threshold, "\(janGroup)")

            // crmctl shows the same groups.
            let shown = try await daemon.crmctl(["customer", "duplicates", "-o", "json"])
            #expect(
                shown.succeeded && shown.stdout.contains(janTwin.name) && shown.stdout.contains(annaTwin.name),
                "\(shown)"
            )

            // Once merged, the group is gone from the list without another run.
            _ = try await duplicates.mergeCustomers(
                .with {
                    $0.survivor = jan.name
                    $0.others = [janTwin.name]
                }
            )
            let after = try await duplicates.listDuplicateGroups(.init())
            #expect(after.groups.map { Set($0.members.map(\.name)) } == [[anna.name, annaTwin.name]], "\(after)")
        }
    }
}
