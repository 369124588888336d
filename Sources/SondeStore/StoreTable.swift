/// One table of the span store: a name a PxL script can pass to `px.DataFrame(table=...)` and its columns.
public struct StoreTable: Hashable, Sendable {
    /// Where a table's rows are kept.
    enum Storage: Hashable, Sendable {
        /// In ``StoreSchema/partitionCount`` tables of its own (`spans_0` ...) behind a view of its name,
        /// evicted a partition at a time.
        case partitions
        /// In one table of its own, where a row whose `uniqueKey` value is already there replaces the old row.
        case table(uniqueKey: String)
        /// In `spans`: a view of the rows whose `protocol` is one of `protocols`, each column read from the
        /// `spans` column at the same position in `sourceColumns`.
        case spanRows(protocols: [String], sourceColumns: [String])
    }

    public var name: String
    public var summary: String
    public var columns: [StoreColumn]
    var storage: Storage

    init(name: String, summary: String, columns: [StoreColumn], storage: Storage) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.storage = storage
    }

    /// The column called `name`, if the table has one.
    public func column(named name: String) -> StoreColumn? {
        columns.first { $0.name == name }
    }

    /// The physical table that holds partition `index` of a partitioned table, e.g. `spans_3`.
    public func partition(_ index: Int) -> String {
        precondition(storage == .partitions, "\(name) has no partitions")
        return "\(name)_\(index)"
    }

    /// The tables that hold the rows: the partitions in order, the table itself, or none for a view of
    /// `spans`.
    var physicalTables: [String] {
        switch storage {
        case .partitions: (0..<StoreSchema.partitionCount).map(partition)
        case .table: [name]
        case .spanRows: []
        }
    }

    /// `CREATE` statements: a partitioned table's partitions, each ordered by an index on `time_`, and the view
    /// by its name that reads them all; a table of its own with its `time_` index and unique index; the view
    /// of a protocol's rows of `spans`, partition by partition.
    var createStatements: [String] {
        let columnList = columns.map { "\($0.name) \($0.type.sqlType)" }.joined(separator: ", ")
        switch storage {
        case .partitions:
            let partitions = physicalTables
            return partitions.flatMap { partition in
                ["CREATE TABLE \(partition) (\(columnList))", "CREATE INDEX \(partition)_time ON \(partition)(time_)"]
            } + ["CREATE VIEW \(name) AS " + partitions.map { "SELECT * FROM \($0)" }.joined(separator: " UNION ALL ")]
        case .table(let uniqueKey):
            return [
                "CREATE TABLE \(name) (\(columnList))",
                "CREATE INDEX \(name)_time ON \(name)(time_)",
                "CREATE UNIQUE INDEX \(name)_\(uniqueKey) ON \(name)(\(uniqueKey))",
            ]
        case .spanRows(let protocols, let sourceColumns):
            let selection = zip(sourceColumns, columns).map { source, column in
                source == column.name ? source : "\(source) AS \(column.name)"
            }.joined(separator: ", ")
            let filter = protocols.map { "'\($0)'" }.joined(separator: ", ")
            return ["CREATE VIEW \(name) AS " + StoreSchema.spans.physicalTables.map { partition in
                "SELECT \(selection) FROM \(partition) WHERE protocol IN (\(filter))"
            }.joined(separator: " UNION ALL ")]
        }
    }

    /// `INSERT` of `columns` (by default every column), in order, into `physicalTable` (this table, or one of
    /// its partitions); the others are NULL. Into a table with a unique key, it replaces the row of the same key.
    func insertStatement(into physicalTable: String, columns: [StoreColumn]? = nil) -> String {
        let names = (columns ?? self.columns).map(\.name)
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let verb = if case .table = storage { "INSERT OR REPLACE" } else { "INSERT" }
        return "\(verb) INTO \(physicalTable) (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
    }
}
