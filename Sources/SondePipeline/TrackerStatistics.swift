/// Counters of a ``ConnectionTracker`` since it started.
public struct TrackerStatistics: Hashable, Sendable {
    /// Connections ever tracked (opened, or first seen through their data).
    public var connectionsSeen = 0
    /// Connections tracked now.
    public var activeConnections = 0
    /// Connections whose TLS plaintext was seen (their ciphertext is ignored).
    public var tlsConnections = 0
    /// Connections no detector recognised within the budget.
    public var unrecognisedConnections = 0
    /// Ranges of a stream lost between two chunks (offset jumps that never filled).
    public var gaps = 0
    /// Bytes that moved but were not captured: lost ranges, truncated chunks, `sendfile`.
    public var bytesSkipped = 0
    /// Captured bytes no session parsed: before a protocol was recognised, or on unrecognised connections.
    public var bytesIgnored = 0
    /// Chunks dropped because all their bytes had been delivered already.
    public var duplicateChunks = 0
    /// Events for an older generation of a descriptor that has been reused since.
    public var staleEvents = 0
    /// Times a protocol session lost sync and searched for a message boundary.
    public var resyncs = 0
    /// Connections forgotten to stay within the connection limit.
    public var evictedConnections = 0
    /// Connections forgotten after being idle too long.
    public var expiredConnections = 0
    /// Spans built from completed exchanges.
    public var spansBuilt = 0

    public init() {}
}
