import CRMCore
import CRMDLauncher
import CRMProto
import CRMStoreSQLite
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Testing

@testable import CRMServer

@Suite("Roles: one table for every method, and the policy that uses it")
struct RoleTests {
    static let logger = Logger(label: "roles") { _ in SwiftLogNoOpLogHandler() }

    /// Every method crmd registers, from the services of a real ``RegistryAPI``.
    static func registeredMethods() throws -> [MethodDescriptor] {
        let root = NSTemporaryDirectory() + "crm-roles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let api = RegistryAPI(
            store: try SQLiteRegistry(path: root + "/crmd.sqlite3", logger: logger),
            plugins: PluginHost(configuration: PluginHostConfiguration(), logger: logger),
            jobs: JobRunner(logger: logger),
            limits: ServerLimits(),
            dataDirectory: root,
            logger: logger
        )
        var router = RPCRouter<HTTP2ServerTransport.Posix>()
        for service in api.services { service.registerMethods(with: &router) }
        return router.methods
    }

    @Test("every method of every registered service, reflection and health included, has a role in the table")
    func everyMethodHasARole() throws {
        let registered = try Self.registeredMethods()
        let methods = registered.map(\.fullyQualifiedMethod)
        #expect(methods.count >= 50, "\(methods.count) methods registered: every service is there")
        for method in methods {
            #expect(MethodRoles.table[method] != nil, "\(method) has no role in MethodRoles.table")
        }
        #expect(methods.contains("grpc.reflection.v1.ServerReflection/ServerReflectionInfo"))
        // And the table names nothing that is not served.
        #expect(
            Set(MethodRoles.table.keys).subtracting(methods).isEmpty,
            "\(Set(MethodRoles.table.keys).subtracting(methods))"
        )
    }

    @Test("walking the table through the interceptor: each role is let through exactly the methods at or below it")
    func everyMethodEnforced() async throws {
        let registered = try Self.registeredMethods()
        let policy = RolePolicy(
            mapping: AccessMapping(
                admin: .init(groups: ["crm-admin"]),
                writer: .init(groups: ["crm"]),
                reader: .init(groups: ["crm-read"])
            ),
            ownUID: 990,
            lookUp: { uid, _ in
                switch uid {
                case 2001: UnixIdentity(user: "reader", groups: ["crm-read"])
                case 2002: UnixIdentity(user: "writer", groups: ["crm"])
                case 2003: UnixIdentity(user: "admin", groups: ["crm-admin"])
                default: UnixIdentity(user: nil, groups: [])
                }
            }
        )
        let interceptor = CallerInterceptor(policy: policy, logger: Self.logger)
        let callers: [(uid: UInt32, role: Role)] = [(3000, .none), (2001, .reader), (2002, .writer), (2003, .admin)]
        var refusedTo: [Role: Int] = [:]
        for descriptor in registered {
            let needed = try #require(MethodRoles.table[descriptor.fullyQualifiedMethod])
            for caller in callers {
                var metadata = Metadata()
                metadata.addString(String(caller.uid), forKey: PeerCredentialsHandler.uidKey)
                metadata.addString(String(caller.uid), forKey: PeerCredentialsHandler.gidKey)
                metadata.addString("1", forKey: PeerCredentialsHandler.pidKey)
                let context = ServerContext(
                    descriptor: descriptor,
                    remotePeer: "unix:",
                    localPeer: "unix:",
                    cancellation: ServerContext.RPCCancellationHandle()
                )
                var allowed = true
                do {
                    _ = try await interceptor.intercept(
                        request: StreamingServerRequest<String>(
                            single: ServerRequest(metadata: metadata, message: "call")
                        ),
                        context: context
                    ) { _, _ in StreamingServerResponse<String>(single: ServerResponse(message: "done")) }
                } catch let error as CRMError where error.code == .permissionDenied {
                    // The one error conversion, at the service boundary, makes it PERMISSION_DENIED.
                    allowed = false
                    #expect(error.message.contains("needs the \(needed) role; uid \(caller.uid)"), "\(error)")
                }
                #expect(
                    allowed == (caller.role >= needed),
                    "\(descriptor.fullyQualifiedMethod) needs \(needed); the \(caller.role) caller was \(allowed ? "let through" : "refused")"
                )
                if !allowed { refusedTo[caller.role, default: 0] += 1 }
            }
        }
        let byRole = Dictionary(grouping: MethodRoles.table.values, by: { $0 }).mapValues(\.count)
        // A reader is refused every write and admin method, a writer every admin method, no role everything
        // but the methods open to anyone.
        #expect(refusedTo[.reader] == byRole[.writer, default: 0] + byRole[.admin, default: 0])
        #expect(refusedTo[.writer] == byRole[.admin, default: 0])
        #expect(refusedTo[.none] == registered.count - byRole[.none, default: 0])
        #expect(refusedTo[.admin] == nil)
        #expect(byRole[.writer, default: 0] >= 20 && byRole[.admin, default: 0] >= 5, "\(byRole)")
    }

    @Test("roles come from the user and its groups; root and crmd's own uid are admin; lookups are cached")
    func roleOfCaller() async {
        let policy = RolePolicy(
            mapping: AccessMapping(
                admin: .init(users: ["alice"]),
                writer: .init(groups: ["crm"]),
                reader: .init(groups: ["crm-read"])
            ),
            ownUID: 990,
            lookUp: { uid, _ in
                switch uid {
                case 1001: UnixIdentity(user: "alice", groups: ["alice"])
                case 1002: UnixIdentity(user: "bob", groups: ["bob", "crm", "crm-read"])
                case 1003: UnixIdentity(user: "carol", groups: ["crm-read"])
                default: UnixIdentity(user: nil, groups: [])
                }
            }
        )
        #expect(await policy.role(of: Caller(uid: 0, gid: 0, pid: 1)) == .admin)
        #expect(await policy.role(of: Caller(uid: 990, gid: 990, pid: 1)) == .admin)
        #expect(await policy.role(of: Caller(uid: 1001, gid: 1001, pid: 1)) == .admin)
        #expect(await policy.role(of: Caller(uid: 1002, gid: 1002, pid: 1)) == .writer, "the strongest role held")
        #expect(await policy.role(of: Caller(uid: 1003, gid: 1003, pid: 1)) == .reader)
        #expect(await policy.role(of: Caller(uid: 4242, gid: 4242, pid: 1)) == .none)
    }

    @Test("the real group database: a caller whose gid is a configured group holds its role")
    func realGroups() {
        // gid 0 is "root" in every Debian group database; uid 4242 has no passwd entry.
        let identity = UnixIdentity.lookUp(uid: 4242, gid: 0)
        #expect(identity.user == nil)
        #expect(identity.groups.contains("root"), "\(identity)")
        let own = UnixIdentity.lookUp(uid: 0, gid: 0)
        #expect(own.user == "root")
    }

    @Test("through the server: no role is PERMISSION_DENIED naming the role and uid; reader reads, writer writes")
    func enforced() async throws {
        let policy = RolePolicy(
            mapping: AccessMapping(writer: .init(groups: ["crm"]), reader: .init(groups: ["crm-read"])),
            ownUID: 990,
            lookUp: { uid, _ in
                switch uid {
                case 2001: UnixIdentity(user: "reader", groups: ["crm-read"])
                case 2002: UnixIdentity(user: "writer", groups: ["crm"])
                default: UnixIdentity(user: nil, groups: [])
                }
            }
        )
        try await withInProcessServer(policy: policy) { server in
            server.setCaller(Caller(uid: 2002, gid: 2002, pid: 1))
            let made = try await server.createCustomer(Fixture.customer("Made by a writer"))
            _ = try await server.health.check(.init())

            server.setCaller(Caller(uid: 2001, gid: 2001, pid: 1))
            #expect(try await server.customers.getCustomer(.with { $0.name = made.name }).name == made.name)
            let refused = await expectRPCError(.permissionDenied, "a reader creating") {
                try await server.createCustomer(Fixture.customer("Not allowed"))
            }
            #expect(
                refused?.message.contains("needs the writer role; uid 2001 has the reader role") == true,
                "\(String(describing: refused))"
            )

            server.setCaller(Caller(uid: 3000, gid: 3000, pid: 1))
            let nobody = await expectRPCError(.permissionDenied, "no role") {
                try await server.customers.getCustomer(.with { $0.name = made.name })
            }
            #expect(
                nobody?.message.contains("needs the reader role; uid 3000 has no role") == true,
                "\(String(describing: nobody))"
            )
            let health = try await server.health.check(.init())
            #expect(health.status == .serving, "health is open to anyone")

            server.setCaller(Caller(uid: 0, gid: 0, pid: 1))  // root is admin
            #expect(try await server.stats().customers == 1, "refused calls wrote nothing")
        }
    }

    @Test(
        "a real daemon with an access section: crmctl under another uid (setpriv) reads but may not write",
        .enabled(if: getuid() == 0, "needs root to run crmctl under another uid with setpriv")
    )
    func realCallers() async throws {
        // gid 0 lets the other uid open the socket (mode 0660, group root); the group root is a reader.
        let configuration = """
            access:
              reader: { groups: [root] }
            """
        try await withDaemon(configuration: configuration) { daemon in
            let made = try await daemon.createCustomer(Fixture.customer("Made by root"))
            // The other uid must reach the socket in the test's private folder.
            try FileManager.default.setAttributes([.posixPermissions: 0o711], ofItemAtPath: daemon.root)
            func asOther(_ arguments: [String]) async throws -> CommandResult {
                try await runCommand(
                    "/usr/bin/setpriv",
                    ["--reuid", "4242", "--regid", "0", "--clear-groups", BuildProducts.crmctl] + arguments,
                    environment: ["CRMD_SOCKET": daemon.socketPath],
                    scratch: daemon.root
                )
            }
            let read = try await asOther(["customer", "get", made.name, "-o", "json"])
            #expect(read.succeeded, "\(read)")
            let me = try await asOther(["admin", "whoami", "-o", "json"])
            try #require(me.succeeded, "\(me)")
            let answer = try Crm_V1_WhoAmIResponse(jsonString: me.stdout)
            #expect(answer.uid == 4242 && answer.gid == 0 && answer.user.isEmpty, "\(answer)")
            #expect(answer.groups.contains("root") && answer.role == "reader" && answer.rolesChecked, "\(answer)")
            let rootSelf = try await daemon.crmctl(["admin", "whoami", "-o", "json"])
            let root = try Crm_V1_WhoAmIResponse(jsonString: rootSelf.stdout)
            #expect(root.uid == 0 && root.user == "root" && root.role == "admin", "\(root)")
            let write = try await asOther(["customer", "create", "--display-name", "Refused"])
            #expect(write.exitCode == 1, "\(write)")
            #expect(write.stderr.contains("PERMISSION_DENIED"), "\(write)")
            #expect(write.stderr.contains("needs the writer role; uid 4242 has the reader role"), "\(write)")
            #expect(try await daemon.stats().customers == 1)
        }
    }

    /// Debian's python3 with python3-grpcio (scripts/install-deps.sh): readable by every uid, unlike a
    /// Python installed in root's home.
    static let systemPython = "/usr/bin/python3"
    static var systemPythonHasGRPC: Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: systemPython) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: systemPython)
        process.arguments = ["-c", "import grpc"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(
        "a Python grpcio client under other uids and groups: a reader reads and is refused writes, a writer writes",
        .enabled(if: systemPythonHasGRPC, "needs root and Debian's python3-grpcio (scripts/install-deps.sh)")
    )
    func pythonCallers() async throws {
        // uid 4242 has no passwd entry: its group root (gid 0, which also reaches the socket) makes it a
        // reader. uid 4343 is a user created for the test and named as a writer.
        let user = "crmtest\(UInt32.random(in: 1000...9999))"
        let added = try await runCommand(
            "/usr/sbin/useradd",
            ["--no-create-home", "--uid", "4343", "--gid", "0", "--shell", "/usr/sbin/nologin", user],
            scratch: NSTemporaryDirectory()
        )
        try #require(added.succeeded || added.stderr.contains("already"), "\(added)")
        defer { _ = try? Process.run(URL(fileURLWithPath: "/usr/sbin/userdel"), arguments: [user]) }
        let configuration = """
            access:
              writer: { users: [\(user)] }
              reader: { groups: [root] }
            """
        try await withDaemon(configuration: configuration) { daemon in
            try FileManager.default.setAttributes([.posixPermissions: 0o711], ofItemAtPath: daemon.root)
            // A copy the other uid can read, wherever the checkout is.
            let script = daemon.root + "/role_client.py"
            try FileManager.default.copyItem(
                atPath: BuildProducts.repositoryRoot + "/Tests/interop/role_client.py",
                toPath: script
            )
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: script)
            func python(uid: Int, name: String) async throws -> [String: Any] {
                let result = try await runCommand(
                    "/usr/bin/setpriv",
                    [
                        "--reuid", String(uid), "--regid", "0", "--clear-groups", Self.systemPython, script,
                        "--socket", daemon.socketPath, "--display-name", name,
                    ],
                    scratch: daemon.root,
                    timeout: .seconds(60)
                )
                try #require(result.succeeded, "\(result)")
                let line = try #require(result.stdout.split(separator: "\n").last, "no output")
                return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            let reader = try await python(uid: 4242, name: "From a reader")
            #expect(reader["uid"] as? Int == 4242 && reader["role"] as? String == "reader", "\(reader)")
            #expect(reader["list"] as? String == "OK", "\(reader)")
            #expect(reader["create"] as? String == "PERMISSION_DENIED", "\(reader)")
            #expect(
                (reader["create_message"] as? String)?.contains("needs the writer role; uid 4242 has the reader role")
                    == true,
                "\(reader)"
            )
            let writer = try await python(uid: 4343, name: "From a writer")
            #expect(writer["uid"] as? Int == 4343 && writer["role"] as? String == "writer", "\(writer)")
            #expect(writer["create"] as? String == "OK", "\(writer)")
            #expect(try await daemon.stats().customers == 1, "only the writer's customer")
            // And the change log names the writer.
            let log = try await daemon.crmctl(["audit", "list", "--caller", "4343", "-o", "json"])
            let changes = try Crm_V1_ListChangesResponse(jsonString: log.stdout).changes
            #expect(
                changes.count == 1 && changes.first?.caller.executable.hasPrefix("/usr/bin/python3") == true,
                "\(log)"
            )
        }
    }
}
