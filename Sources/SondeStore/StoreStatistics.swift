/// What a ``SpanStore`` did: rows written per flush, spans it could not keep, rows evicted.
public struct StoreStatistics: Hashable, Sendable, CustomStringConvertible {
    /// Spans written (one row each in `spans`).
    public var spansWritten = 0
    /// Rows written in all tables (process upserts included).
    public var rowsWritten = 0
    /// Spans dropped because the queue was full, the store was shut down, or a write failed.
    public var spansDropped = 0
    /// Rows evicted for age or size.
    public var rowsEvicted = 0
    /// Transactions committed.
    public var flushes = 0
    /// The last write failure, if any.
    public var lastError: String?

    public init() {}

    /// e.g. `120 rows written (40 spans) in 3 flushes, 0 dropped, 12 evicted`.
    public var description: String {
        var text = "\(rowsWritten) rows written (\(spansWritten) spans) in \(flushes) flushes, "
            + "\(spansDropped) dropped, \(rowsEvicted) evicted"
        if let lastError { text += "; last error: \(lastError)" }
        return text
    }
}
