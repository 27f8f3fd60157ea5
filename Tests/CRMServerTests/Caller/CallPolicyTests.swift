import CRMCore
import CRMProto
import Foundation
import GRPCCore
import Glibc
import Synchronization
import Testing

@testable import CRMServer

/// The interceptor asks the call policy about every call, with the caller the socket reports; these run
/// in process, with a caller the test sets.
@Suite("Call policy")
struct CallPolicyTests {
    /// Lets uid 1000 write and everyone read; records whom it was asked about.
    final class ReadersAndOneWriter: CallPolicy {
        let asked = Mutex<[(uid: UInt32, method: String)]>([])

        func check(_ caller: Caller, method: MethodDescriptor) throws {
            asked.withLock { $0.append((caller.uid, method.fullyQualifiedMethod)) }
            let reads = ["GetCustomer", "ListCustomers", "SearchCustomers", "ExportCustomers", "GetStats", "Check"]
            guard reads.contains(method.method) || caller.uid == 1000 else {
                throw CRMError(.permissionDenied, "uid \(caller.uid) may not call \(method.method)")
            }
        }
    }

    @Test("a call the policy refuses is PERMISSION_DENIED and writes nothing; the caller can change per call")
    func refusal() async throws {
        let policy = ReadersAndOneWriter()
        try await withInProcessServer(caller: Caller(uid: 2000, gid: 2000, pid: 1), policy: policy) { server in
            let refused = await expectRPCError(.permissionDenied) {
                try await server.createCustomer(Fixture.customer("Ada"))
            }
            #expect(refused?.message.contains("uid 2000 may not call CreateCustomer") == true)
            #expect(try await server.stats().customers == 0)

            server.setCaller(Caller(uid: 1000, gid: 1000, pid: 1))
            let created = try await server.createCustomer(Fixture.customer("Ada"))
            server.setCaller(Caller(uid: 2000, gid: 2000, pid: 1))
            #expect(try await server.getCustomer(created.name).displayName == "Ada")
            await expectRPCError(.permissionDenied) {
                var request = Crm_V1_DeleteCustomerRequest()
                request.name = created.name
                return try await server.customers.deleteCustomer(request)
            }
            #expect(try await server.stats().customers == 1)
        }
        let asked = policy.asked.withLock { $0.map { "\($0.uid) \($0.method)" } }
        #expect(
            asked == [
                "2000 crm.v1.CustomerService/CreateCustomer", "2000 crm.v1.AdminService/GetStats",
                "1000 crm.v1.CustomerService/CreateCustomer", "2000 crm.v1.CustomerService/GetCustomer",
                "2000 crm.v1.CustomerService/DeleteCustomer", "2000 crm.v1.AdminService/GetStats",
            ]
        )
    }

    @Test("without a chosen caller the policy sees this process, as the kernel reports it")
    func kernelCredentials() async throws {
        let policy = ReadersAndOneWriter()
        try await withInProcessServer(policy: policy) { server in
            _ = try await server.stats()
        }
        let asked = policy.asked.withLock { $0 }
        #expect(asked.map(\.uid) == [getuid()])
    }
}
