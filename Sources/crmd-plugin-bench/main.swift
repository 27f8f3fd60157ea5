// crmd-plugin-bench: the round trip of one small plugin call, in a plugin-host process (the default) and
// inside crmd (trusted), through PluginHost as the services call it. Prints numbers; asserts nothing.
//
//   scripts/bench-plugins.sh [rounds]        (builds in release, then runs this)
//   crmd-plugin-bench FOLDER [rounds]        FOLDER holds libcrmfixture-behaviour.so
import CRMServer
import Foundation
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: crmd-plugin-bench FOLDER-WITH-libcrmfixture-behaviour.so [rounds]")
    exit(2)
}
let folder = arguments[1]
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 2000 : 2000

/// Median and 99th percentile of `rounds` echo calls of `size` bytes, after a warm-up.
func measure(_ host: PluginHost, size: Int) async throws -> (median: Duration, p99: Duration) {
    let request = [UInt8](repeating: 0x2A, count: size)
    for _ in 0..<200 { _ = try await host.callBytes(plugin: "fixture-behaviour", method: "echo", request: request) }
    let clock = ContinuousClock()
    var samples: [Duration] = []
    samples.reserveCapacity(rounds)
    for _ in 0..<rounds {
        let started = clock.now
        _ = try await host.callBytes(plugin: "fixture-behaviour", method: "echo", request: request)
        samples.append(clock.now - started)
    }
    samples.sort()
    return (samples[samples.count / 2], samples[samples.count * 99 / 100])
}

func microseconds(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    return String(format: "%.1f µs", value)
}

print("echo through PluginHost.callBytes, \(rounds) rounds each, median / p99")
for trusted in [false, true] {
    let host = PluginHost(
        configuration: PluginHostConfiguration(
            folders: [.init(path: folder)],
            plugins: ["fixture-behaviour": .init(trusted: trusted)]
        ),
        logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    )
    await host.scan()
    guard host.loadedCount == 1 else {
        print("fixture-behaviour did not load from \(folder)")
        exit(1)
    }
    for size in [16, 161_000] {
        let (median, p99) = try await measure(host, size: size)
        print(
            "\(trusted ? "trusted (in crmd)   " : "isolated (process)  ") \(String(format: "%7d", size)) bytes: "
                + "\(microseconds(median)) / \(microseconds(p99))"
        )
    }
    await host.shutdownAll()
}
