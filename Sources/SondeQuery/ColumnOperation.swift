import SondeStore

/// A binary operator of the language applied to two per-row values: the SQL it becomes and the type of
/// its result (`time - time` is a duration, `/` is true division, comparisons are booleans).
struct ColumnOperation {
    var symbol: String
    var location: ScriptLocation

    func apply(_ left: ColumnExpression, _ right: ColumnExpression) throws -> ColumnExpression {
        let columns = left.columns.union(right.columns)
        func result(_ sql: String, _ type: StoreColumn.ValueType) -> ColumnExpression {
            ColumnExpression(sql: "(\(sql))", type: type, columns: columns)
        }
        switch symbol {
        case "and", "or":
            return result("\(left.sql) \(symbol.uppercased()) \(right.sql)", .boolean)
        case "==", "!=", "<", "<=", ">", ">=":
            let sqlSymbol = symbol == "==" ? "=" : symbol
            return result("\(left.sql) \(sqlSymbol) \(right.sql)", .boolean)
        case "+" where left.type == .string && right.type == .string:
            return result("\(left.sql) || \(right.sql)", .string)
        default:
            guard left.type != .string, right.type != .string else {
                throw QueryError("'\(symbol)' needs numbers, found \(left.type.rawValue) and \(right.type.rawValue)",
                                 at: location)
            }
            switch symbol {
            case "/": return result("CAST(\(left.sql) AS REAL) / \(right.sql)", .float64)
            case "%": return result("\(left.sql) % \(right.sql)", .int64)
            default: return result("\(left.sql) \(symbol) \(right.sql)", arithmeticType(left.type, right.type))
            }
        }
    }

    private func arithmeticType(_ left: StoreColumn.ValueType, _ right: StoreColumn.ValueType) -> StoreColumn.ValueType {
        switch (symbol, left, right) {
        case ("-", .time, .time): .duration
        case ("+", .time, _), ("-", .time, _), ("+", _, .time): .time
        case (_, .duration, _), (_, _, .duration): .duration
        case (_, .float64, _), (_, _, .float64): .float64
        default: .int64
        }
    }
}
