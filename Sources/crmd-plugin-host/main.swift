// crmd-plugin-host: runs ONE plugin library for crmd, in a process of its own, so that a crash, an abort,
// an endless loop or a memory hog in plugin code ends this process and never the daemon.
//
// crmd starts it with one end of a socketpair as descriptor 3 and speaks the frame protocol of
// CRMPluginWire.PluginFrame over it (docs/plugins.md, "The plugin-host protocol"). It is not meant to be
// run by hand.
import Glibc

let options: HostOptions
do {
    options = try HostOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    reportProblem("\(error)")
    exit(2)
}
HostConfinement.apply(options)
HostSession(socket: HostOptions.socketDescriptor, options: options).run()
