import ArgumentParser

/// `crmctl completion bash|zsh|fish`: the shell completion script for crmctl.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the completion script of crmctl for bash, zsh or fish.",
        discussion: """
            Completes subcommands, options and their values. To use it in the current shell: \
            `source <(crmctl completion bash)`; for every shell, put the output where the shell \
            loads completions, e.g. /etc/bash_completion.d/crmctl, a folder of $fpath as _crmctl, \
            or ~/.config/fish/completions/crmctl.fish.
            """
    )

    @Argument(help: ArgumentHelp("bash, zsh or fish.", valueName: "shell"))
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("no completion for \"\(shell)\": expected bash, zsh or fish")
        }
    }

    func run() {
        print(CRMCtl.completionScript(for: CompletionShell(rawValue: shell) ?? .bash))
    }
}
