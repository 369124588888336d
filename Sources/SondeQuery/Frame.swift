import SondeStore

/// A DataFrame as a plan: one SQL SELECT (nested SELECTs for each step) and the columns it yields.
/// Every step wraps the previous one, so the whole pipeline runs as one statement inside SQLite.
struct Frame: Sendable {
    /// The SELECT, without the final ORDER BY (a subquery's order would be lost or sorted twice).
    var sql: String
    var columns: [ResultColumn]
    /// The ordering `sort` (or a grouping) asked for; kept by later steps that keep those columns and
    /// applied once, by the outermost statement (or where `head` needs it).
    var ordering: [(column: String, ascending: Bool)] = []

    /// The statement to run: `sql` in this frame's ordering.
    var orderedSQL: String {
        ordering.isEmpty ? sql : "SELECT * FROM (\(sql)) ORDER BY " + Self.orderClause(ordering)
    }

    func column(named name: String) -> ResultColumn? { columns.first { $0.name == name } }

    /// A new frame selecting `outputs` from this one, with an optional filter, grouping and limit.
    func derived(_ outputs: [(expression: ColumnExpression, name: String)], where condition: String? = nil,
                 groupBy: [String] = [], ordering newOrdering: [(column: String, ascending: Bool)]? = nil,
                 limit: Int64? = nil) -> Frame {
        let list = outputs.map { output in
            output.expression.sql == output.name.quotedIdentifier
                ? output.expression.sql : "\(output.expression.sql) AS \(output.name.quotedIdentifier)"
        }
        var sql = "SELECT \(list.joined(separator: ", ")) FROM (\(self.sql))"
        if let condition { sql += " WHERE \(condition)" }
        if !groupBy.isEmpty { sql += " GROUP BY " + groupBy.map(\.quotedIdentifier).joined(separator: ", ") }
        let names = Set(outputs.map(\.name))
        let ordering = (newOrdering ?? self.ordering).filter { names.contains($0.column) }
        if let limit {
            if !ordering.isEmpty { sql += " ORDER BY " + Self.orderClause(ordering) }
            sql += " LIMIT \(limit)"
        }
        let columns = outputs.map { ResultColumn(name: $0.name, type: $0.expression.type) }
        return Frame(sql: sql, columns: columns, ordering: ordering)
    }

    /// The outputs that keep every column as it is.
    var passthrough: [(expression: ColumnExpression, name: String)] {
        columns.map { (ColumnExpression.column($0.name, $0.type), $0.name) }
    }

    static func orderClause(_ ordering: [(column: String, ascending: Bool)]) -> String {
        ordering.map { $0.column.quotedIdentifier + ($0.ascending ? " ASC" : " DESC") }.joined(separator: ", ")
    }
}
