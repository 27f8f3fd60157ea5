import CRMPluginKit
import Testing

@Suite("AlgorithmParameters")
struct AlgorithmParametersTests {
    /// Parameters shaped like scikit-learn's decision tree, SVM and MLP.
    private let declared = [
        Parameter("criterion", .string, default: "gini", allowedValues: ["gini", "entropy"], description: "split"),
        Parameter("max_depth", .int, default: "None", nullable: true, minimum: 1, description: "depth"),
        Parameter("C", .double, default: "1.0", minimum: 0, description: "regularisation"),
        Parameter("gamma", .double, default: "scale", allowedValues: ["scale", "auto"], description: "kernel width"),
        Parameter("hidden_layer_sizes", .intList, default: "100", minimum: 1, description: "layers"),
        Parameter("early_stopping", .bool, default: "false", description: "stop early"),
        Parameter(
            "class_weight",
            .doubleMap,
            default: "None",
            allowedValues: ["balanced"],
            nullable: true,
            description: "weights"
        ),
        Parameter("priors", .doubleList, default: "None", nullable: true, description: "priors"),
    ]

    private func read(_ given: [String: String]) throws -> AlgorithmParameters {
        try AlgorithmParameters(given, declared: declared, algorithm: "test")
    }

    @Test("Defaults apply, None reads as nil, keywords are recognised")
    func defaults() throws {
        let parameters = try read([:])
        #expect(try parameters.string("criterion") == "gini")
        #expect(try parameters.int("max_depth") == nil)
        #expect(parameters.isNone("max_depth"))
        #expect(try parameters.double("C") == 1.0)
        #expect(parameters.keyword("gamma") == "scale")
        #expect(try parameters.intList("hidden_layer_sizes") == [100])
        #expect(try parameters.bool("early_stopping") == false)
        #expect(try parameters.doubleMap("class_weight") == nil)
        #expect(parameters.effective["gamma"] == "scale")
        #expect(parameters.effective.count == declared.count)
    }

    @Test("Given values read as their types, in scikit-learn's spellings too")
    func given() throws {
        let parameters = try read([
            "max_depth": "5", "C": "1e-2", "gamma": "0.5", "hidden_layer_sizes": "(64, 32,)",
            "early_stopping": "True", "class_weight": "churned:5, active:1", "priors": "[0.2,0.8]",
        ])
        #expect(try parameters.int("max_depth") == 5)
        #expect(try parameters.double("C") == 0.01)
        #expect(parameters.keyword("gamma") == nil)
        #expect(try parameters.double("gamma") == 0.5)
        #expect(try parameters.intList("hidden_layer_sizes") == [64, 32])
        #expect(try parameters.bool("early_stopping"))
        let weights = try #require(try parameters.doubleMap("class_weight"))
        #expect(weights.map(\.key) == ["churned", "active"])
        #expect(weights.map(\.value) == [5, 1])
        #expect(try parameters.doubleList("priors") == [0.2, 0.8])
        #expect(parameters.effective["max_depth"] == "5")
    }

    @Test(
        "Bad input is INVALID_ARGUMENT naming the parameter",
        arguments: [
            (["max_dept": "3"], "unknown parameter \"max_dept\""),
            (["max_depth": "0"], "\"max_depth\" of algorithm test must be an integer ≥ 1 or None"),
            (["max_depth": "deep"], "\"max_depth\""),
            (["criterion": "log"], "\"criterion\""),
            (["C": "-1"], "\"C\""),
            (["C": "nan"], "\"C\""),
            (["gamma": "wide"], "or one of scale, auto"),
            (["hidden_layer_sizes": "64,x"], "\"hidden_layer_sizes\""),
            (["early_stopping": "maybe"], "\"early_stopping\""),
            (["class_weight": "a=1"], "\"class_weight\""),
        ]
    )
    func refuses(_ given: [String: String], _ expected: String) {
        #expect {
            try read(given)
        } throws: { error in
            let error = error as? PluginError
            return error?.code == .invalidArgument && error?.message.contains(expected) == true
        }
    }

    @Test("A required parameter must be given")
    func required() {
        let declared = [Parameter("k", .int, default: "", required: true, description: "k")]
        #expect(throws: PluginError.self) {
            try AlgorithmParameters([:], declared: declared, algorithm: "test")
        }
    }
}
