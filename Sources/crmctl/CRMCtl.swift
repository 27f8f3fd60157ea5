import ArgumentParser
import GRPCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `crmctl`, the command line for crmd.
///
/// Exit codes: 0 success, 1 failure, 2 usage or invalid argument, 3 not found, 4 already
/// exists or conflict (see ``CommandError/Code``).
@main
struct CRMCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmctl",
        abstract: "Talks to crmd, the CRM daemon, over its Unix socket.",
        discussion: """
            Exit codes: 0 ok, 1 failure, 2 usage or invalid argument, 3 not found, \
            4 already exists or conflict.
            """,
        version: "0.1.0",
        subcommands: [
            CustomerCommand.self, OrderCommand.self, PaymentCommand.self, InteractionCommand.self,
            ImportCommand.self, ExportCommand.self, AdminCommand.self, PluginCommand.self, AnalysisCommand.self,
            JobCommand.self, AuditCommand.self, BackupCommand.self, DemoCommand.self, CompletionCommand.self,
        ]
    )

    /// Parses and runs the command, then turns any error into one line on standard error and
    /// crmctl's exit code.
    static func main() async {
        do {
            var command = try parseAsRoot(hoistingSharedOptions(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            terminate(report(error))
        }
    }

    /// Shared options written before the subcommand (`crmctl --socket S customer list`) moved
    /// behind it, where the subcommand's ``ClientOptions`` read them.
    static func hoistingSharedOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if ["--socket", "--output", "-o"].contains(first), rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--socket=") || first.hasPrefix("--output=") {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        return Array(rest) + leading
    }

    /// Prints `error` and returns the exit code for it.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as CommandError:
            Terminal.warn(error.description)
            return error.exitCode
        case let error as RPCError:
            let mapped = CommandError(rpcError: error)
            Terminal.warn(mapped.description)
            return mapped.exitCode
        case let error as ExitCode:
            return error.rawValue
        default:
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version: printed to standard output, exit 0.
                Self.exit(withError: error)
            }
            let message = fullMessage(for: error)
            if code == .validationFailure {
                Terminal.warn(message)
                return CommandError.Code.usage.rawValue
            }
            Terminal.warn("crmctl: " + message)
            return code.rawValue
        }
    }

    private static func terminate(_ code: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(code)
        #elseif canImport(Musl)
        Musl.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }
}
