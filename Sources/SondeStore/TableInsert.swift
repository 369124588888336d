import GRDB
import GRDBSQLite

/// A prepared `INSERT` of every column of one table (into one of its partitions if it has them), run once per
/// row inside the writer's transaction.
struct TableInsert {
    private let table: StoreTable
    private let statement: Statement

    /// Inserts into `table` itself, or into its partition `partition`.
    init(_ table: StoreTable, partition: Int? = nil, in db: Database) throws {
        self.table = table
        statement = try db.cachedStatement(sql: table.insertStatement(into: partition.map(table.partition) ?? table.name))
    }

    /// Inserts one row whose values `fill` binds.
    func insert(_ fill: (inout RowBinding) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_clear_bindings(handle)
        var row = RowBinding(statement: handle, columns: table.columns)
        fill(&row)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: String(cString: sqlite3_sql(handle)))
        }
    }
}
