import ArgumentParser
import CRMProto
import GRPCCore
import GRPCProtobuf
import Testing

@testable import crmctl

@Suite("Client options, resource names and errors")
struct ClientTests {
    @Test("the socket: flag, then CRMD_SOCKET, then ./var, then /run for root")
    func socketLocation() {
        let none: (String) -> Bool = { _ in false }
        let all: (String) -> Bool = { _ in true }
        let onlySystem: (String) -> Bool = { $0 == SocketLocation.system }
        #expect(
            SocketLocation.resolve(flag: "/a.sock", environment: "/b.sock", isRoot: true, fileExists: all) == "/a.sock"
        )
        #expect(SocketLocation.resolve(flag: nil, environment: "/b.sock", isRoot: true, fileExists: all) == "/b.sock")
        #expect(SocketLocation.resolve(flag: nil, environment: nil, isRoot: true, fileExists: all) == "./var/crmd.sock")
        #expect(
            SocketLocation.resolve(flag: nil, environment: nil, isRoot: true, fileExists: onlySystem)
                == "/run/crmd/crmd.sock"
        )
        #expect(
            SocketLocation.resolve(flag: nil, environment: nil, isRoot: false, fileExists: onlySystem)
                == "./var/crmd.sock"
        )
        #expect(
            SocketLocation.resolve(flag: nil, environment: nil, isRoot: true, fileExists: none) == "./var/crmd.sock"
        )
    }

    @Test("output defaults to a table on a terminal and JSON elsewhere")
    func outputDefault() throws {
        #expect(OutputFormat.standard(stdoutIsTerminal: true) == .table)
        #expect(OutputFormat.standard(stdoutIsTerminal: false) == .json)
        let options = try ClientOptions.parse(["-o", "csv"])
        #expect(options.format == .csv)
    }

    @Test("resource arguments: customers/12 or 12")
    func resourceNames() throws {
        #expect(try ResourceArgument.name("12", collection: "customers") == "customers/12")
        #expect(try ResourceArgument.name("customers/12", collection: "customers") == "customers/12")
        #expect(try ResourceArgument.name(" orders/007 ", collection: "orders") == "orders/7")
        for bad in ["orders/12", "0", "-3", "abc", "", "customers/", "customers/x"] {
            #expect(throws: ValueError.self) { try ResourceArgument.name(bad, collection: "customers") }
        }
        #expect(ResourceArgument.number(of: "customers/42") == 42)
        let sorted = ResourceArgument.sortedByID(["c/10", "c/9", "c/100", "c/x"], name: { $0 })
        #expect(sorted == ["c/9", "c/10", "c/100", "c/x"])
    }

    @Test("customer update sends only the flags given, as mask paths")
    func updateMask() throws {
        let command = try CustomerCommand.Update.parse(
            [
                "12", "--email", "a@example.com", "--city", "Berlin", "--tag", "x", "--tag", "y", "--since", "",
                "--stage", "churned",
            ]
        )
        var customer = Crm_V1_Customer()
        let paths = try command.fields.apply(to: &customer)
        #expect(paths == ["email", "address.city", "tags", "lifecycle_stage", "customer_since"])
        #expect(customer.tags == ["x", "y"])
        #expect(customer.address.city == "Berlin")
        #expect(customer.lifecycleStage == .churned)
        #expect(customer.hasCustomerSince == false)

        let attributes = try CustomerCommand.Update.parse(["12", "--attr", "tier=gold", "--attr", "note=a=b"])
        var other = Crm_V1_Customer()
        #expect(try attributes.fields.apply(to: &other) == ["attributes"])
        #expect(other.attributes == ["tier": "gold", "note": "a=b"])

        let cleared = try CustomerCommand.Update.parse(["12", "--clear-tags"])
        var third = Crm_V1_Customer()
        third.tags = ["old"]
        #expect(try cleared.fields.apply(to: &third) == ["tags"])
        #expect(third.tags.isEmpty)

        let bad = try CustomerCommand.Update.parse(["12", "--since", "soon"])
        var fourth = Crm_V1_Customer()
        #expect(throws: CommandError.self) { try bad.fields.apply(to: &fourth) }

        #expect(throws: (any Error).self) { try CustomerCommand.Update.parse(["12", "--clear-tags", "--tag", "x"]) }
    }

    @Test("RPC status codes map to exit codes")
    func exitCodes() {
        #expect(CommandError(rpcError: RPCError(code: .invalidArgument, message: "x")).exitCode == 2)
        #expect(CommandError(rpcError: RPCError(code: .notFound, message: "x")).exitCode == 3)
        #expect(CommandError(rpcError: RPCError(code: .alreadyExists, message: "x")).exitCode == 4)
        #expect(CommandError(rpcError: RPCError(code: .aborted, message: "x")).exitCode == 4)
        #expect(CommandError(rpcError: RPCError(code: .internalError, message: "x")).exitCode == 1)
        #expect(CommandError(rpcError: RPCError(code: .unavailable, message: "x")).exitCode == 1)
        #expect(
            CommandError.noSocket("/x.sock").description
                == "crmctl: cannot reach crmd at /x.sock: no such socket; is crmd running? set --socket or CRMD_SOCKET"
        )
    }

    @Test("an error with google.rpc.BadRequest details lists the field violations on one line")
    func badRequestDetails() {
        let status = GoogleRPCStatus(
            code: .invalidArgument,
            message: "customer.email: not a valid email address",
            details: [
                .badRequest(violations: [
                    .init(field: "customer.email", description: "not a valid email address"),
                    .init(field: "customer.phone", description: "too short"),
                ])
            ]
        )
        let error = CommandError(rpcError: RPCError(status))
        #expect(
            error.description
                == "crmctl: INVALID_ARGUMENT: customer.email: not a valid email address [customer.email: not a valid email address; customer.phone: too short]"
        )
        #expect(error.exitCode == 2)
        #expect(!error.description.contains("\n"))
    }
}

@Suite("Command line")
struct CommandLineTests {
    @Test("shared options before the subcommand are moved behind it")
    func hoisting() {
        #expect(
            CRMCtl.hoistingSharedOptions(["--socket", "/s", "-o", "json", "customer", "get", "1"])
                == ["customer", "get", "1", "--socket", "/s", "-o", "json"]
        )
        #expect(CRMCtl.hoistingSharedOptions(["--output=csv", "order", "list"]) == ["order", "list", "--output=csv"])
        #expect(
            CRMCtl.hoistingSharedOptions(["customer", "list", "--socket", "/s"]) == [
                "customer", "list", "--socket", "/s",
            ]
        )
    }
}
