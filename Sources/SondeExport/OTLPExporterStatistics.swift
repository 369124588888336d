/// What became of the spans handed to an `OTLPExporter`. Every enqueued span ends up in exactly one of
/// `exported`, `dropped`, `failed` or `rejected`, or is still `pending`.
public struct OTLPExporterStatistics: Hashable, Sendable, CustomStringConvertible {
    /// Spans handed to `enqueue`.
    public var enqueued = 0
    /// Spans the collector accepted.
    public var exported = 0
    /// Spans refused at `enqueue` because the queue was full (or the exporter was shut down).
    public var dropped = 0
    /// Spans given up on after retrying (collector unreachable or overloaded for too long).
    public var failed = 0
    /// Spans the collector refused outright (an HTTP status that retrying cannot fix, e.g. 400).
    public var rejected = 0
    /// Export requests repeated after a connection error or a retryable status (429, 502, 503, 504).
    public var retries = 0

    public init() {}

    /// Spans accepted into the queue and not yet settled.
    public var pending: Int { enqueued - exported - dropped - failed - rejected }

    public var description: String {
        "enqueued \(enqueued), exported \(exported), dropped \(dropped), failed \(failed), "
            + "rejected \(rejected), retries \(retries)"
    }
}
