/// The parameters of a `train` request, read against the parameters an algorithm declares in `describe`.
///
/// Creating it refuses unknown names, missing required parameters and values that do not read as their declared
/// type (all ``PluginError/Code-swift.struct/invalidArgument``, naming the parameter), so that a plugin reports
/// every such mistake the same way. Reading a parameter that was not given yields its declared default.
///
/// ```swift
/// let parameters = try AlgorithmParameters(request.parameters, declared: algorithm.parameters,
///                                          algorithm: request.algorithm)
/// let maxDepth = try parameters.int("max_depth")        // nil for None
/// let gamma = parameters.keyword("gamma") ?? "value"     // "scale", "auto", or a number:
/// let gammaValue = try parameters.double("gamma")
/// ```
///
/// The text syntax is `ParameterType`'s, in plugin.proto: `None` for scikit-learn's None where the parameter is
/// nullable, keywords from `allowed_values`, comma-separated lists (`64,32`), `key:value` maps.
public struct AlgorithmParameters: Sendable {
    private let algorithm: String
    private let declared: [String: Parameter]
    private let order: [String]
    private let given: [String: String]

    /// Reads and checks `given` against `declared`.
    ///
    /// - Parameters:
    ///   - given: `TrainRequest.parameters`.
    ///   - declared: The algorithm's parameters, as `describe` returns them.
    ///   - algorithm: The algorithm's name, for messages.
    /// - Throws: ``PluginError`` with code ``PluginError/Code-swift.struct/invalidArgument`` for an unknown name,
    ///   a missing required parameter, or a value that does not read.
    public init(_ given: [String: String], declared: [Parameter], algorithm: String) throws(PluginError) {
        self.algorithm = algorithm
        self.order = declared.map(\.name)
        self.declared = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.given = given
        for name in given.keys.sorted() where self.declared[name] == nil {
            let accepted = order.isEmpty ? "none" : order.joined(separator: ", ")
            throw PluginError(
                code: .invalidArgument,
                message: "unknown parameter \"\(name)\" for algorithm \(algorithm); it accepts: \(accepted)"
            )
        }
        for parameter in declared {
            if let text = given[parameter.name] {
                _ = try Self.read(parameter, text, algorithm: algorithm)
            } else if parameter.required {
                throw PluginError(
                    code: .invalidArgument,
                    message: "parameter \"\(parameter.name)\" of algorithm \(algorithm) is required"
                )
            }
        }
    }

    /// Every declared parameter's text as used: given, or the default. For `TrainResponse.effective_parameters`.
    public var effective: [String: String] {
        Dictionary(uniqueKeysWithValues: order.map { ($0, text($0)) })
    }

    /// The text of parameter `name`: as given, else its default.
    public func text(_ name: String) -> String {
        given[name] ?? declared[name]?.defaultValue ?? ""
    }

    /// Whether parameter `name` is `None`.
    public func isNone(_ name: String) -> Bool {
        declared[name]?.nullable == true && text(name) == "None"
    }

    /// The keyword parameter `name` holds (one of its `allowed_values`), or `nil` when it holds a value of its type.
    public func keyword(_ name: String) -> String? {
        let value = text(name)
        return declared[name]?.allowedValues.contains(value) == true ? value : nil
    }

    /// A string parameter; `nil` for `None`.
    public func string(_ name: String) throws(PluginError) -> String? {
        switch try value(name) {
        case .none: nil
        case .keyword(let text), .string(let text): text
        default: throw mismatch(name, "a string")
        }
    }

    /// An integer parameter; `nil` for `None`.
    public func int(_ name: String) throws(PluginError) -> Int? {
        switch try value(name) {
        case .none: nil
        case .int(let value): value
        default: throw mismatch(name, "an integer")
        }
    }

    /// A number parameter (an integer's text reads too); `nil` for `None`.
    public func double(_ name: String) throws(PluginError) -> Double? {
        switch try value(name) {
        case .none: nil
        case .double(let value): value
        case .int(let value): Double(value)
        default: throw mismatch(name, "a number")
        }
    }

    /// A boolean parameter.
    public func bool(_ name: String) throws(PluginError) -> Bool {
        switch try value(name) {
        case .bool(let value): value
        default: throw mismatch(name, "true or false")
        }
    }

    /// A list of integers, e.g. `hidden_layer_sizes`; `nil` for `None`.
    public func intList(_ name: String) throws(PluginError) -> [Int]? {
        switch try value(name) {
        case .none: nil
        case .intList(let values): values
        default: throw mismatch(name, "a list of integers")
        }
    }

    /// A list of numbers, e.g. `priors`; `nil` for `None`.
    public func doubleList(_ name: String) throws(PluginError) -> [Double]? {
        switch try value(name) {
        case .none: nil
        case .doubleList(let values): values
        default: throw mismatch(name, "a list of numbers")
        }
    }

    /// `key:value` pairs in the order given, e.g. `class_weight`; `nil` for `None`.
    public func doubleMap(_ name: String) throws(PluginError) -> [(key: String, value: Double)]? {
        switch try value(name) {
        case .none: nil
        case .doubleMap(let pairs): pairs
        default: throw mismatch(name, "key:value pairs")
        }
    }

    // MARK: - Reading text

    private enum Value {
        case none
        case keyword(String)
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case intList([Int])
        case doubleList([Double])
        case doubleMap([(key: String, value: Double)])
    }

    private func value(_ name: String) throws(PluginError) -> Value {
        guard let parameter = declared[name] else {
            throw PluginError(
                code: .internalError,
                message: "the plugin read parameter \"\(name)\", which algorithm \(algorithm) does not declare"
            )
        }
        return try Self.read(parameter, text(name), algorithm: algorithm)
    }

    private func mismatch(_ name: String, _ expected: String) -> PluginError {
        PluginError(
            code: .invalidArgument,
            message: "parameter \"\(name)\" of algorithm \(algorithm) must be \(expected), not \"\(text(name))\""
        )
    }

    private static func read(_ parameter: Parameter, _ text: String, algorithm: String) throws(PluginError) -> Value {
        func refuse(_ expected: String) -> PluginError {
            var message = "parameter \"\(parameter.name)\" of algorithm \(algorithm) must be \(expected)"
            if !parameter.allowedValues.isEmpty {
                message += " or one of \(parameter.allowedValues.joined(separator: ", "))"
            }
            if parameter.nullable {
                message += " or None"
            }
            return PluginError(code: .invalidArgument, message: message + ", not \"\(text)\"")
        }
        if parameter.nullable && text == "None" {
            return .none
        }
        if parameter.allowedValues.contains(text) {
            return .keyword(text)
        }
        func bounded(_ number: Double) -> Bool {
            if case .minimum(let minimum)? = parameter.lowerBound, number < minimum {
                return false
            }
            if case .maximum(let maximum)? = parameter.upperBound, number > maximum {
                return false
            }
            return true
        }
        var range: String {
            let lower = parameter.lowerBound.map { _ in "≥ \(Self.format(parameter.minimum))" }
            let upper = parameter.upperBound.map { _ in "≤ \(Self.format(parameter.maximum))" }
            return [lower, upper].compactMap(\.self).joined(separator: " and ")
        }
        func withRange(_ noun: String) -> String {
            range.isEmpty ? noun : "\(noun) \(range)"
        }
        switch parameter.type {
        case .string, .unspecified, .UNRECOGNIZED:
            guard parameter.allowedValues.isEmpty else {
                throw refuse("one of the listed values")
            }
            return .string(text)
        case .int:
            guard let value = Int(text.trimmed), bounded(Double(value)) else {
                throw refuse(withRange("an integer"))
            }
            return .int(value)
        case .double:
            guard let value = Double(text.trimmed), value.isFinite, bounded(value) else {
                throw refuse(withRange("a number"))
            }
            return .double(value)
        case .bool:
            switch text.trimmed {
            case "true", "True", "1": return .bool(true)
            case "false", "False", "0": return .bool(false)
            default: throw refuse("true or false")
            }
        case .intList:
            let items = text.listItems
            let values = items.compactMap { Int($0) }
            guard !items.isEmpty, values.count == items.count, values.allSatisfy({ bounded(Double($0)) }) else {
                throw refuse(withRange("comma-separated integers"))
            }
            return .intList(values)
        case .doubleList:
            let items = text.listItems
            let values = items.compactMap { Double($0) }.filter(\.isFinite)
            guard !items.isEmpty, values.count == items.count, values.allSatisfy(bounded) else {
                throw refuse(withRange("comma-separated numbers"))
            }
            return .doubleList(values)
        case .doubleMap:
            var pairs: [(key: String, value: Double)] = []
            for item in text.listItems {
                let parts = item.split(separator: ":", maxSplits: 1).map { String($0).trimmed }
                guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite,
                    bounded(value)
                else {
                    throw refuse(withRange("comma-separated key:value pairs with numbers"))
                }
                pairs.append((parts[0], value))
            }
            guard !pairs.isEmpty else {
                throw refuse("comma-separated key:value pairs")
            }
            return .doubleMap(pairs)
        }
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

extension String {
    fileprivate var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The items of a comma-separated list; tolerates scikit-learn's tuple spelling `(64, 32)` and `[0.2, 0.8]`.
    fileprivate var listItems: [String] {
        var body = trimmed
        if let first = body.first, let last = body.last, (first == "(" && last == ")") || (first == "[" && last == "]")
        {
            body = String(body.dropFirst().dropLast())
        }
        let items = body.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmed }
        // `(64,)` is a one-element tuple.
        return items.last == "" && items.count > 1 ? Array(items.dropLast()) : items
    }
}
