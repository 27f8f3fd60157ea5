/// A parsed filter: the syntax tree ``Filter/parse(_:schema:)`` returns and ``Filter`` compiles to SQL.
///
/// `AND` and `OR` chains are flattened: `a AND b AND c` is one ``and(_:)`` with three operands.
/// Juxtaposition (`a b`) is an `AND` too.
public indirect enum FilterExpression: Sendable, Hashable {
    /// True when every operand is (at least two operands).
    case and([FilterExpression])
    /// True when any operand is (at least two operands).
    case or([FilterExpression])
    /// `NOT x` or `-x`: true exactly when the operand is false (an unset field is not "unknown").
    case not(FilterExpression)
    case comparison(FilterComparison)
}

extension FilterExpression {
    /// `lhs AND rhs`, flattening nested `AND`s.
    static func conjunction(_ operands: [FilterExpression]) -> FilterExpression {
        let flat = operands.flatMap { operand -> [FilterExpression] in
            if case .and(let inner) = operand { return inner }
            return [operand]
        }
        return flat.count == 1 ? flat[0] : .and(flat)
    }

    /// `lhs OR rhs`, flattening nested `OR`s.
    static func disjunction(_ operands: [FilterExpression]) -> FilterExpression {
        let flat = operands.flatMap { operand -> [FilterExpression] in
            if case .or(let inner) = operand { return inner }
            return [operand]
        }
        return flat.count == 1 ? flat[0] : .or(flat)
    }
}
