/// An expression of a script, as parsed (nothing evaluated yet), with where it starts.
indirect enum Expression: Hashable, Sendable {
    case name(String, SourceLocation)
    case string(String, SourceLocation)
    case integer(Int64, SourceLocation)
    case float(Double, SourceLocation)
    case list([Expression], SourceLocation)
    case tuple([Expression], SourceLocation)
    /// `base.name`
    case attribute(Expression, String, SourceLocation)
    /// `base[index]`
    case subscripted(Expression, Expression, SourceLocation)
    /// `callee(arguments)`
    case call(Expression, [Argument], SourceLocation)
    /// `left op right`, op one of `or and == != < <= > >= + - * / %`
    case binary(String, Expression, Expression, SourceLocation)
    /// `op operand`, op `not` or `-`
    case unary(String, Expression, SourceLocation)

    /// One argument of a call: `value` or `label=value`.
    struct Argument: Hashable, Sendable {
        var label: String?
        var value: Expression
    }

    var location: SourceLocation {
        switch self {
        case .name(_, let location), .string(_, let location), .integer(_, let location),
             .float(_, let location), .list(_, let location), .tuple(_, let location),
             .attribute(_, _, let location), .subscripted(_, _, let location), .call(_, _, let location),
             .binary(_, _, _, let location), .unary(_, _, let location):
            location
        }
    }
}
