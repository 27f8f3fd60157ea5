import CRMDLauncher
import CRMProto
import Foundation
import GRPCCore
import Testing

/// Whether Python's grpcio and grpc_tools can be used here.
enum PythonGRPC {
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Checked once, synchronously, while the test plan is built.
    static let isAvailable: Bool = {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import grpc, grpc_tools.protoc, grpc_reflection"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }()

    /// In CI (where `CI` is set) the interop test must run, so it is never skipped there.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
}

@Suite("Interoperability with other gRPC implementations")
struct InteropTests {
    @Test(
        "a Python grpcio client creates and reads a customer through the socket",
        .enabled(
            if: PythonGRPC.isAvailable || PythonGRPC.isRequired,
            "python3 with grpcio, grpcio-tools and grpcio-reflection is not installed (scripts/install-deps.sh --python); set CI=1 to make this a failure"
        ),
        .timeLimit(.minutes(2))
    )
    func grpcioClient() async throws {
        let python = try #require(PythonGRPC.python, "CI is set but python3 is not on PATH")
        try #require(
            PythonGRPC.isAvailable,
            "CI is set but `import grpc, grpc_tools.protoc, grpc_reflection` fails: scripts/install-deps.sh --python"
        )
        try await withDaemon { daemon in
            let script = BuildProducts.repositoryRoot + "/Tests/interop/grpcio_client.py"
            let result = try await runCommand(
                python,
                [
                    script, "--socket", daemon.socketPath, "--display-name", "Ünïcode Pythonista", "--email",
                    "PY@Example.org",
                ],
                scratch: daemon.root,
                timeout: .seconds(90)
            )
            try #require(result.succeeded, "\(result)")
            let line = try #require(result.stdout.split(separator: "\n").last, "no output")
            let output = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "\(line)"
            )
            #expect(output["health"] as? String == "SERVING")
            #expect(output["unknown_customer"] as? String == "NOT_FOUND")
            let read = try #require(output["read"] as? [String: Any], "\(output)")
            let name = try #require(read["name"] as? String)
            #expect(name == output["created_name"] as? String)
            #expect(read["display_name"] as? String == "Ünïcode Pythonista")
            #expect(read["email"] as? String == "py@example.org")
            #expect(read["tags"] as? [String] == ["interop"])
            #expect(read["attributes"] as? [String: String] == ["client": "grpcio"])
            #expect(read["lifecycle_stage"] as? String == "LIFECYCLE_STAGE_PROSPECT")
            #expect((read["etag"] as? String)?.isEmpty == false)

            // What Python wrote, Swift reads the same.
            let viaSwift = try await daemon.getCustomer(name)
            #expect(viaSwift.displayName == "Ünïcode Pythonista")
            #expect(viaSwift.attributes == ["client": "grpcio"])
        }
    }

    @Test(
        "a client with no .proto files learns every service through reflection (v1alpha and v1) and calls them",
        .enabled(
            if: PythonGRPC.isAvailable || PythonGRPC.isRequired,
            "python3 with grpcio-reflection is not installed (scripts/install-deps.sh --python)"
        ),
        .timeLimit(.minutes(2))
    )
    func reflectionOnlyClient() async throws {
        let python = try #require(PythonGRPC.python, "CI is set but python3 is not on PATH")
        try #require(
            PythonGRPC.isAvailable,
            "CI is set but grpcio-reflection is missing: scripts/install-deps.sh --python"
        )
        try await withDaemon { daemon in
            let result = try await runCommand(
                python,
                [BuildProducts.repositoryRoot + "/Tests/interop/reflection_client.py", "--socket", daemon.socketPath],
                scratch: daemon.root,
                timeout: .seconds(90)
            )
            try #require(result.succeeded, "\(result)")
            let line = try #require(result.stdout.split(separator: "\n").last, "no output")
            let output = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                "\(line)"
            )
            let served = [
                "crm.v1.AdminService", "crm.v1.AnalysisService", "crm.v1.AuditService", "crm.v1.BackupService",
                "crm.v1.CustomerService", "crm.v1.DuplicateService",
                "crm.v1.InteractionService", "crm.v1.JobService", "crm.v1.OrderService", "crm.v1.PluginService",
                "crm.v1.PrivacyService", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
            ]
            #expect(output["services_v1alpha"] as? [String] == served)
            #expect(output["services_v1"] as? [String] == served)
            #expect((output["customer_fields"] as? [String])?.contains("external_id") == true, "\(output)")
            #expect(output["unknown_symbol"] as? String == "KeyError")
            #expect(output["v1_unknown_error_code"] as? Int == 5, "NOT_FOUND in the stream: \(output)")
            let created = try #require(output["created"] as? [String: Any], "\(output)")
            #expect(created["display_name"] as? String == "Reflected Rita")
            let summary = try #require(output["summary"] as? [String: Any], "\(output)")
            let customer = try #require(summary["customer"] as? [String: Any], "\(summary)")
            #expect(customer["name"] as? String == created["name"] as? String)
            // The daemon has the customer the reflected messages described.
            let name = try #require(created["name"] as? String)
            let read = try await daemon.customers.getCustomer(.with { $0.name = name })
            #expect(read.tags == ["reflection"])
        }
    }
}
