import GRDB
import GRDBSQLite

/// A prepared `INSERT` of every column of one table, run once per row inside the writer's transaction.
struct TableInsert {
    private let table: StoreTable
    private let statement: Statement

    init(_ table: StoreTable, in db: Database) throws {
        self.table = table
        statement = try db.cachedStatement(sql: table.insertStatement)
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
                                sql: table.insertStatement)
        }
    }
}
