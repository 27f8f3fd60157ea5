import CRMProto
import Foundation
import GRPCCore
import Testing

/// Issue 9, finding 3: `neural-network` with `hidden_layer_sizes=65536,65536` asked for 34 GB and
/// crmd died. The plugin now learns the memory limit of its process from the host and refuses a
/// network that would not fit, before allocating; the process limit stays as the backstop.
@Suite("A training too large for its plugin's memory is refused")
struct MemoryHungryTrainingTests {
    @Test(
        "INVALID_ARGUMENT naming hidden_layer_sizes, under the default and a configured limit; crmd serves on",
        .timeLimit(.minutes(2))
    )
    func refused() async throws {
        let configuration = """
            plugins:
              neural-network:
                memory_limit: 1GiB
            """
        for config in [nil, configuration] {
            try await withDaemon(logLevel: "info", configuration: config) { daemon in
                var request = Crm_V1_TrainRequest()
                request.algorithm = "neural-network"
                request.cvFolds = 1
                request.dataset.featureNames = ["a", "b"]
                request.dataset.values = (0..<40).map { Double($0 % 7) }
                request.dataset.labels = (0..<20).map { $0 % 2 == 0 ? "x" : "y" }
                // 65536,65536 is refused under any limit; 4096,4096 (about 0.5 GiB) only under 1 GiB.
                for layers in config == nil ? ["65536,65536"] : ["65536,65536", "4096,4096"] {
                    request.parameters = ["hidden_layer_sizes": layers]
                    let error = await expectRPCError(.invalidArgument, "layers \(layers)") {
                        try await daemon.connection.analysis.train(request) { response in
                            for try await _ in response.messages {}
                        }
                    }
                    #expect(error?.message.contains("hidden_layer_sizes") == true, "\(String(describing: error))")
                }
                let stats = try await daemon.stats()
                #expect(stats.customers == 0, "crmd serves on")
            }
        }
    }
}
