/// The evaluated arguments of one call, bound to parameter names with errors that say what the
/// function takes.
struct Arguments {
    var location: ScriptLocation
    var callee: String
    var values: [(label: String?, value: Value, location: ScriptLocation)] = []

    /// The arguments by parameter name: positional ones in `parameters` order, then keyword ones.
    func bind(_ parameters: [String], required: Int) throws -> [String: (value: Value, location: ScriptLocation)] {
        var bound: [String: (value: Value, location: ScriptLocation)] = [:]
        for (position, argument) in values.enumerated() {
            let name: String
            if let label = argument.label {
                guard parameters.contains(label) else {
                    throw QueryError("\(callee) has no argument '\(label)'; it takes \(parameters.joined(separator: ", "))",
                                     at: argument.location)
                }
                name = label
            } else {
                guard position < parameters.count else {
                    throw QueryError("\(callee) takes at most \(parameters.count) argument\(parameters.count == 1 ? "" : "s")",
                                     at: argument.location)
                }
                name = parameters[position]
            }
            guard bound[name] == nil else {
                throw QueryError("\(callee) got '\(name)' twice", at: argument.location)
            }
            bound[name] = (argument.value, argument.location)
        }
        for name in parameters.prefix(required) where bound[name] == nil {
            throw QueryError("\(callee) needs '\(name)'", at: location)
        }
        return bound
    }

    /// A string, or a list of strings, as a list of names (column lists).
    static func names(_ value: Value, at location: ScriptLocation) throws -> [String] {
        switch value {
        case .string(let name): return [name]
        case .expression(let expression) where expression.columns.count == 1 && expression.sql == expression.columns.first!.quotedIdentifier:
            return [expression.columns.first!]
        case .list(let elements), .tuple(let elements):
            return try elements.flatMap { try names($0, at: location) }
        default:
            throw QueryError("expected a column name or a list of column names, found \(value.kind)", at: location)
        }
    }

    static func string(_ value: Value, at location: ScriptLocation) throws -> String {
        guard case .string(let text) = value else { throw QueryError("expected a string, found \(value.kind)", at: location) }
        return text
    }

    static func integer(_ value: Value, at location: ScriptLocation) throws -> Int64 {
        switch value {
        case .integer(let number), .duration(let number): return number
        default: throw QueryError("expected an integer, found \(value.kind)", at: location)
        }
    }
}
