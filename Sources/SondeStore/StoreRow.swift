import GRDB

/// One row for one store table: values by column name; columns left out are NULL.
struct StoreRow {
    var table: StoreTable
    var values: [String: DatabaseValue] = [:]

    init(_ table: StoreTable) {
        self.table = table
    }

    subscript(column: String) -> DatabaseValueConvertible? {
        get { values[column] }
        set { values[column] = newValue?.databaseValue ?? .null }
    }

    /// `INSERT` of every column of the table; the process table replaces the row of the same upid.
    var insertStatement: String { Self.insertStatements[table.name] ?? "" }

    private static let insertStatements: [String: String] = Dictionary(uniqueKeysWithValues: StoreSchema.tables.map { table in
        let names = table.columns.map(\.name)
        let verb = table.name == StoreSchema.process.name ? "INSERT OR REPLACE" : "INSERT"
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return (table.name, "\(verb) INTO \(table.name) (\(names.joined(separator: ", "))) VALUES (\(placeholders))")
    })

    var arguments: StatementArguments {
        StatementArguments(table.columns.map { values[$0.name] ?? .null })
    }
}
