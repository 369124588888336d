import GRDB
// GRDB's own module of the SQLite C API: binding values straight to a prepared statement spares the
// writer a `StatementArguments` and a `DatabaseValue` per column.
import GRDBSQLite
import SondeModel

/// The values of one row, bound by column name to a prepared `INSERT` of every column of its table.
///
/// Columns are bound in the table's order and a column left out is NULL. A name is found by a forward
/// scan from the last one bound, a few comparisons of short strings; a name out of order or unknown stops
/// the program, a mistake in the mapping that any test writing a row of the table catches. Every parameter
/// is bound for every row (NULL when left out), so the statement's bindings need no clearing.
///
/// Text is gathered back to back in one buffer, kept from row to row, and bound without a copy just before
/// the row is inserted ("static" in SQLite's terms): SQLite would otherwise allocate and copy every value.
struct RowBinding {
    private let statement: SQLiteStatement
    private let columns: [StoreColumn]
    private var next = 0
    /// The row's text values, back to back.
    private var text: [UInt8] = []
    /// Where each text value is in `text`, by parameter index.
    private var textParameters: [(index: CInt, range: Range<Int>)] = []

    init(statement: SQLiteStatement, columns: [StoreColumn]) {
        self.statement = statement
        self.columns = columns
    }

    mutating func bind(_ column: String, _ value: Int64?) {
        let index = position(of: column)
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    mutating func bind(_ column: String, _ value: Bool) {
        sqlite3_bind_int64(statement, position(of: column), value ? 1 : 0)
    }

    mutating func bind(_ column: String, _ value: String?) {
        let index = position(of: column)
        guard let value else {
            sqlite3_bind_null(statement, index)
            return
        }
        appendText(value.utf8, at: index)
    }

    /// Binds UTF-8 text, such as a ``JSONText``'s bytes.
    mutating func bind(_ column: String, utf8 bytes: [UInt8]) {
        appendText(bytes, at: position(of: column))
    }

    /// Binds the hex digits of a trace id.
    mutating func bind(_ column: String, _ id: TraceID) {
        appendText(at: position(of: column)) { id.appendHex(to: &$0) }
    }

    /// Binds the hex digits of a span id, or '' for none.
    mutating func bind(_ column: String, _ id: SpanID?) {
        appendText(at: position(of: column)) { id?.appendHex(to: &$0) }
    }

    /// Keeps `bytes` for parameter `index`, to be bound with the row.
    private mutating func appendText(_ bytes: some Sequence<UInt8>, at index: CInt) {
        appendText(at: index) { $0.append(contentsOf: bytes) }
    }

    /// Keeps what `write` appends to the row's text for parameter `index`, to be bound with the row.
    private mutating func appendText(at index: CInt, _ write: (inout [UInt8]) -> Void) {
        let start = text.count
        write(&text)
        textParameters.append((index, start..<text.count))
    }

    /// Binds the row's text and NULL to the columns left out at the end, runs `insert` (the statement's step)
    /// while SQLite may read the text, then resets the statement and this binding for the next row.
    mutating func withTextBound(_ insert: () -> CInt) -> CInt {
        bindNull(upTo: columns.count)
        let code = text.withUnsafeBufferPointer { buffer in
            // A NULL pointer would bind NULL rather than '': an empty buffer may have no base address.
            let empty: StaticString = ""
            let base = UnsafeRawPointer(buffer.baseAddress ?? empty.utf8Start).assumingMemoryBound(to: CChar.self)
            for parameter in textParameters {
                sqlite3_bind_text(statement, parameter.index, base + parameter.range.lowerBound,
                                  CInt(parameter.range.count), nil)
            }
            let code = insert()
            sqlite3_reset(statement)
            return code
        }
        next = 0
        text.removeAll(keepingCapacity: true)
        textParameters.removeAll(keepingCapacity: true)
        return code
    }

    /// The 1-based parameter index of `column`, after the last column bound; the columns skipped are NULL.
    private mutating func position(of column: String) -> CInt {
        var index = next
        while index < columns.count && columns[index].name != column { index += 1 }
        precondition(index < columns.count, "no column \(column) after those already bound")
        bindNull(upTo: index)
        next += 1
        return CInt(next)
    }

    /// Binds NULL to the columns from the next one to `end` (exclusive), which are left out.
    private mutating func bindNull(upTo end: Int) {
        while next < end {
            next += 1
            sqlite3_bind_null(statement, CInt(next))
        }
    }
}
