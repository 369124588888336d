import GRDB
import GRDBSQLite

/// A prepared `INSERT` of one table's columns (into one of its partitions if it has them), run once per row
/// inside the writer's transaction. A class, so a writer inserting rows can read its own state meanwhile.
final class TableInsert {
    private let statement: Statement
    private var row: RowBinding

    /// Inserts `columns` (by default all; the others are NULL) into `table` itself, or into its partition
    /// `partition`.
    init(_ table: StoreTable, columns: [StoreColumn]? = nil, partition: Int? = nil, in db: Database) throws {
        let physicalTable = partition.map(table.partition) ?? table.name
        statement = try db.cachedStatement(sql: table.insertStatement(into: physicalTable, columns: columns))
        row = RowBinding(statement: statement.sqliteStatement, columns: columns ?? table.columns)
    }

    /// Inserts one row whose values `fill` binds.
    func insert(_ fill: (inout RowBinding) -> Void) throws {
        let handle = statement.sqliteStatement
        fill(&row)
        let code = row.withTextBound { sqlite3_step(handle) }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: String(cString: sqlite3_sql(handle)))
        }
    }
}
