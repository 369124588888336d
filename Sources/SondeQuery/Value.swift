/// What a name or an expression of a script stands for while the script is planned.
enum Value: Sendable {
    /// The `px` module.
    case px
    /// A px function used as a value: the aggregates of `agg(name=(column, px.count))`.
    case function(String)
    case frame(Frame)
    /// `df.groupby(columns)`, waiting for `.agg(...)`.
    case grouped(Frame, [String])
    /// `df.ctx`, waiting for `['service']` or `['pid']`.
    case context(Frame)
    /// A per-row value (reads columns) or a constant SQL expression.
    case expression(ColumnExpression)
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Nanoseconds, from `px.seconds(10)` and the like.
    case duration(Int64)
    case list([Value])
    case tuple([Value])
    case none

    /// How error messages name this kind of value.
    var kind: String {
        switch self {
        case .px: "the px module"
        case .function(let name): "px.\(name)"
        case .frame: "a DataFrame"
        case .grouped: "a grouped DataFrame"
        case .context: "df.ctx"
        case .expression: "a column expression"
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .duration: "a duration"
        case .list: "a list"
        case .tuple: "a tuple"
        case .none: "None"
        }
    }
}
