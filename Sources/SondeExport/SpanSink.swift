import SondeModel

/// A destination for finished spans: the OTLP exporter, the printer, a store.
///
/// The pipeline hands every batch of spans to each sink in turn, so `consume` must return quickly.
public protocol SpanSink: AnyObject, Sendable {
    /// Takes a batch of finished spans.
    func consume(_ spans: [Span])
    /// Delivers everything consumed so far and releases the sink's resources.
    func shutdown()
}

extension Array where Element == any SpanSink {
    /// Hands `spans` to every sink and empties it, keeping its capacity for the next spans.
    public func handOff(_ spans: inout [Span]) {
        guard !spans.isEmpty else { return }
        forEach { $0.consume(spans) }
        spans.removeAll(keepingCapacity: true)
    }
}
