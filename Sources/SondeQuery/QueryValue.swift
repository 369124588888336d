/// One cell of a result table, as SQLite returned it.
public enum QueryValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}
