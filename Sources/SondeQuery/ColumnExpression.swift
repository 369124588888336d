import SondeStore

/// A per-row value as SQL: a column, a literal, or an expression over them, with its type and the
/// columns it reads (checked against the frame it is used on).
struct ColumnExpression: Hashable, Sendable {
    var sql: String
    var type: StoreColumn.ValueType
    var columns: Set<String>

    /// A column of a frame.
    static func column(_ name: String, _ type: StoreColumn.ValueType) -> ColumnExpression {
        ColumnExpression(sql: name.quotedIdentifier, type: type, columns: [name])
    }

    static func literal(_ value: String) -> ColumnExpression {
        ColumnExpression(sql: value.quotedLiteral, type: .string, columns: [])
    }

    static func literal(_ value: Int64, _ type: StoreColumn.ValueType = .int64) -> ColumnExpression {
        ColumnExpression(sql: String(value), type: type, columns: [])
    }

    static func literal(_ value: Double) -> ColumnExpression {
        ColumnExpression(sql: "\(value)", type: .float64, columns: [])
    }
}

extension String {
    /// An SQL identifier: `"name"`, double quotes doubled.
    var quotedIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// An SQL string literal: `'text'`, single quotes doubled.
    var quotedLiteral: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
