import SondeStore

/// `df.groupby(keys).agg(name=(column, px.function), ...)` (or `df.agg(...)` over all rows) as one
/// GROUP BY. Groups come out ordered by their keys.
struct Aggregation {
    let frame: Frame
    let keys: [String]
    let arguments: Arguments

    func planned() throws -> Frame {
        var outputs = try keys.map { (try frame.columnExpression($0, at: arguments.location), $0) }
        guard !arguments.values.isEmpty else {
            throw QueryError("agg needs at least one name=(column, px.function)", at: arguments.location)
        }
        for argument in arguments.values {
            guard let name = argument.label else {
                throw QueryError("agg takes name=(column, px.function) arguments only", at: argument.location)
            }
            outputs.append((try aggregate(argument.value, at: argument.location), name))
        }
        return frame.derived(outputs, groupBy: keys, ordering: keys.map { (column: $0, ascending: true) })
    }

    private func aggregate(_ value: Value, at location: ScriptLocation) throws -> ColumnExpression {
        guard case .tuple(let parts) = value, parts.count == 2, case .function(let function) = parts[1],
              PxFunction.aggregates.contains(function) else {
            throw QueryError("expected (column, px.count|px.sum|px.mean|px.min|px.max|px.quantiles)", at: location)
        }
        let input: ColumnExpression
        if case .string(let name) = parts[0] {
            input = try frame.columnExpression(name, at: location)
        } else {
            input = try Planner.columnExpression(parts[0], at: location)
            try frame.check(input, at: location)
        }
        let (sql, type): (String, StoreColumn.ValueType) = switch function {
        case "count": ("COUNT(*)", .int64)
        case "sum": ("SUM(\(input.sql))", input.type == .boolean ? .int64 : input.type)
        case "mean": ("AVG(\(input.sql))", input.type == .duration ? .duration : .float64)
        case "min": ("MIN(\(input.sql))", input.type)
        case "max": ("MAX(\(input.sql))", input.type)
        default: ("\(QueryFunctions.quantiles)(\(input.sql))", .string)
        }
        return ColumnExpression(sql: sql, type: type, columns: input.columns)
    }
}
