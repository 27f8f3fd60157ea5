extension Parameter {
    /// Declares a parameter for ``DescribeResponse``, in one expression.
    ///
    /// ```swift
    /// Parameter("max_depth", .int, default: "None", nullable: true, minimum: 1,
    ///           description: "The maximum depth of the tree; None grows it until the leaves are pure.")
    /// ```
    ///
    /// - Parameters:
    ///   - name: scikit-learn's name for it.
    ///   - type: How to read its text.
    ///   - defaultValue: The default, as text; `None` for scikit-learn's None; empty when `required`.
    ///   - allowedValues: Keywords accepted (for a string: the only values accepted).
    ///   - nullable: Whether `None` is accepted.
    ///   - minimum: The inclusive lower bound of numbers, if any.
    ///   - maximum: The inclusive upper bound of numbers, if any.
    ///   - required: Whether it must be given.
    ///   - description: One or two sentences for people.
    public init(
        _ name: String,
        _ type: ParameterType,
        default defaultValue: String,
        allowedValues: [String] = [],
        nullable: Bool = false,
        minimum: Double? = nil,
        maximum: Double? = nil,
        required: Bool = false,
        description: String
    ) {
        self.init()
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.nullable = nullable
        if let minimum {
            self.minimum = minimum
        }
        if let maximum {
            self.maximum = maximum
        }
        self.required = required
        self.description_p = description
    }
}
