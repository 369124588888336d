import GRDB
// GRDB's own module of the SQLite C API: binding values straight to a prepared statement spares the
// writer a `StatementArguments` and a `DatabaseValue` per column.
import GRDBSQLite

/// The values of one row, bound by column name to a prepared `INSERT` of every column of its table.
///
/// Columns are bound in the table's order and a column left out stays NULL. A name is found by a forward
/// scan from the last one bound, a few comparisons of short strings; a name out of order or unknown stops
/// the program, a mistake in the mapping that any test writing a row of the table catches.
struct RowBinding {
    private let statement: SQLiteStatement
    private let columns: [StoreColumn]
    private var next = 0

    init(statement: SQLiteStatement, columns: [StoreColumn]) {
        self.statement = statement
        self.columns = columns
    }

    mutating func bind(_ column: String, _ value: Int64?) {
        let index = position(of: column)
        if let value { sqlite3_bind_int64(statement, index, value) }
    }

    mutating func bind(_ column: String, _ value: Bool) {
        sqlite3_bind_int64(statement, position(of: column), value ? 1 : 0)
    }

    mutating func bind(_ column: String, _ value: String?) {
        let index = position(of: column)
        guard var value else { return }
        value.withUTF8 { bindText($0, at: index) }
    }

    /// Binds UTF-8 text, such as a ``JSONText``'s bytes.
    mutating func bind(_ column: String, utf8 text: [UInt8]) {
        let index = position(of: column)
        text.withUnsafeBufferPointer { bindText($0, at: index) }
    }

    private func bindText(_ text: UnsafeBufferPointer<UInt8>, at index: CInt) {
        // SQLite copies the bytes (SQLITE_TRANSIENT): they only live for this call. An empty buffer may have
        // no base address, and a NULL pointer would bind NULL rather than ''.
        let empty: StaticString = ""
        sqlite3_bind_text(statement, index, UnsafeRawPointer(text.baseAddress ?? empty.utf8Start)
            .assumingMemoryBound(to: CChar.self), CInt(text.count), Self.transient)
    }

    /// The 1-based parameter index of `column`, after the last column bound.
    private mutating func position(of column: String) -> CInt {
        while next < columns.count && columns[next].name != column { next += 1 }
        precondition(next < columns.count, "no column \(column) after those already bound")
        next += 1
        return CInt(next)
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
