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

    /// Whether the table is kept as ``StoreSchema/partitionCount`` time partitions behind a view of its name:
    /// every table evicted oldest first is (all but those with a ``uniqueKey``).
    var isPartitioned: Bool { uniqueKey == nil }

    /// The physical table that holds partition `index` of a partitioned table, e.g. `http_events_3`.
    public func partition(_ index: Int) -> String {
        "\(name)_\(index)"
    }

    /// The tables that hold the rows: the partitions in order, or the table itself.
    var physicalTables: [String] {
        isPartitioned ? (0..<StoreSchema.partitionCount).map(partition) : [name]
    }

    /// `CREATE` statements: a partitioned table's partitions, each ordered by an index on `time_`, and the view
    /// by its name that reads them all; any other table, itself with its `time_` index and unique index.
    var createStatements: [String] {
        let columnList = columns.map { "\($0.name) \($0.type.sqlType)" }.joined(separator: ", ")
        guard isPartitioned else {
            return [
                "CREATE TABLE \(name) (\(columnList))",
                "CREATE INDEX \(name)_time ON \(name)(time_)",
            ] + (uniqueKey.map { ["CREATE UNIQUE INDEX \(name)_\($0) ON \(name)(\($0))"] } ?? [])
        }
        let partitions = physicalTables
        return partitions.flatMap { partition in
            ["CREATE TABLE \(partition) (\(columnList))", "CREATE INDEX \(partition)_time ON \(partition)(time_)"]
        } + ["CREATE VIEW \(name) AS " + partitions.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ")]
    }

    /// `INSERT` of every column, in order, into `physicalTable` (this table, or one of its partitions); it
    /// replaces the row of the same ``uniqueKey``.
    func insertStatement(into physicalTable: String) -> String {
        let names = columns.map(\.name)
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let verb = uniqueKey == nil ? "INSERT" : "INSERT OR REPLACE"
        return "\(verb) INTO \(physicalTable) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
    }
}
