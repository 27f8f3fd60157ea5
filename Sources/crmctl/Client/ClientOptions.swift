import ArgumentParser
import Foundation

/// Flags every command that talks to crmd shares: where the daemon listens and how to print.
struct ClientOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Path of crmd's Unix socket (env: CRMD_SOCKET). Default: ./var/crmd.sock, or /run/crmd/crmd.sock for root when only that exists.",
            valueName: "path"
        )
    )
    var socket: String?

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Output format: table, wide, json or csv (default: table on a terminal, json otherwise).",
            valueName: "format"
        )
    )
    var output: OutputFormat?

    @Flag(help: "Print tables and CSV lists without their header row.")
    var noHeaders = false

    /// The socket to connect to: the flag, then `CRMD_SOCKET`, then the defaults.
    var socketPath: String {
        SocketLocation.resolve(
            flag: socket,
            environment: Terminal.environment("CRMD_SOCKET"),
            isRoot: Terminal.isRoot,
            fileExists: { FileManager.default.fileExists(atPath: $0) }
        )
    }

    /// The output format asked for, or the default for where standard output goes; `wide` is a table
    /// here (only lists have wider columns: ``printer``).
    var format: OutputFormat {
        let chosen = output ?? .standard(stdoutIsTerminal: Terminal.stdoutIsTerminal)
        return chosen == .wide ? .table : chosen
    }

    var printer: Printer { Printer(format: format, wide: output == .wide, headers: !noHeaders) }
}
