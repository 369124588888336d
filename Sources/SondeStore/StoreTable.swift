/// One table of the span store: a name a PxL script can pass to `px.DataFrame(table=...)` and its columns.
public struct StoreTable: Hashable, Sendable {
    public var name: String
    public var summary: String
    public var columns: [StoreColumn]

    public init(name: String, summary: String, columns: [StoreColumn]) {
        self.name = name
        self.summary = summary
        self.columns = columns
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
        ]
    }
}
