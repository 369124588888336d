/// One table of the span store: a name a PxL script can pass to `px.DataFrame(table=...)` and its columns.
public struct StoreTable: Hashable, Sendable {
    public var name: String
    public var summary: String
    public var columns: [StoreColumn]
    /// The column whose value identifies a row, if any: a row written with a value already there replaces
    /// the old row.
    public var uniqueKey: String?

    public init(name: String, summary: String, columns: [StoreColumn], uniqueKey: String? = nil) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.uniqueKey = uniqueKey
    }

    /// The column called `name`, if the table has one.
    public func column(named name: String) -> StoreColumn? {
        columns.first { $0.name == name }
    }

    /// `CREATE TABLE` for this table; every table is ordered by `time_`, which is indexed.
    var createStatements: [String] {
        let columnList = columns.map { "\($0.name) \($0.type.sqlType)" }.joined(separator: ", ")
        return [
            "CREATE TABLE \(name) (\(columnList))",
            "CREATE INDEX \(name)_time ON \(name)(time_)",
        ] + (uniqueKey.map { ["CREATE UNIQUE INDEX \(name)_\($0) ON \(name)(\($0))"] } ?? [])
    }

    /// `INSERT` of every column, in order; it replaces the row of the same ``uniqueKey``.
    var insertStatement: String {
        let names = columns.map(\.name)
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let verb = uniqueKey == nil ? "INSERT" : "INSERT OR REPLACE"
        return "\(verb) INTO \(name) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
    }
}
