/// An expression of a script, as parsed (nothing evaluated yet), with where it starts.
indirect enum Expression: Hashable, Sendable {
    case name(String, ScriptLocation)
    case string(String, ScriptLocation)
    case integer(Int64, ScriptLocation)
    case float(Double, ScriptLocation)
    case list([Expression], ScriptLocation)
    case tuple([Expression], ScriptLocation)
    /// `base.name`
    case attribute(Expression, String, ScriptLocation)
    /// `base[index]`
    case subscripted(Expression, Expression, ScriptLocation)
    /// `callee(arguments)`
    case call(Expression, [Argument], ScriptLocation)
    /// `left op right`, op one of `or and == != < <= > >= + - * / %`
    case binary(String, Expression, Expression, ScriptLocation)
    /// `op operand`, op `not` or `-`
    case unary(String, Expression, ScriptLocation)

    /// One argument of a call: `value` or `label=value`.
    struct Argument: Hashable, Sendable {
        var label: String?
        var value: Expression
    }

    var location: ScriptLocation {
        switch self {
        case .name(_, let location), .string(_, let location), .integer(_, let location),
             .float(_, let location), .list(_, let location), .tuple(_, let location),
             .attribute(_, _, let location), .subscripted(_, _, let location), .call(_, _, let location),
             .binary(_, _, _, let location), .unary(_, _, let location):
            location
        }
    }
}
