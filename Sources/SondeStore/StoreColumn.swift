/// One column of a store table: its name (Pixie's, where Pixie has one), its type and what it holds.
public struct StoreColumn: Hashable, Sendable {
    /// How a column's values are stored in SQLite and shown to a reader.
    public enum ValueType: String, Hashable, Sendable {
        /// Nanoseconds since the Unix epoch, stored as INTEGER; shown as a UTC timestamp.
        case time
        /// A signed 64-bit integer.
        case int64
        /// A 64-bit float.
        case float64
        /// UTF-8 text.
        case string
        /// 0 or 1, stored as INTEGER.
        case boolean
        /// Nanoseconds, stored as INTEGER; shown as a duration.
        case duration

        /// The SQLite type affinity used in the table's DDL.
        public var sqlType: String {
            switch self {
            case .time, .int64, .boolean, .duration: "INTEGER"
            case .float64: "REAL"
            case .string: "TEXT"
            }
        }
    }

    public var name: String
    public var type: ValueType
    /// One line for `sonde query --describe` and the README's table reference.
    public var summary: String

    public init(_ name: String, _ type: ValueType, _ summary: String) {
        self.name = name
        self.type = type
        self.summary = summary
    }
}
