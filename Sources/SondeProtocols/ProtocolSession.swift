import SondeModel

/// The protocol state of one connection: ordered bytes in, completed exchanges out.
///
/// A session is pure: no I/O and no clocks (timestamps arrive with the bytes). The connection tracker
/// owns ordering, gaps and expiry and calls these methods in stream order per direction; calls for the
/// two directions interleave in the order the bytes were seen.
public protocol ProtocolSession: AnyObject {
    /// Bytes of one direction's stream, following directly on the last bytes of that direction.
    /// `timestamp` (ns since the Unix epoch) is when they were seen.
    func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord])

    /// `count` bytes went by in `direction` that were not captured (truncated capture or lost events).
    /// A session that knows where the current message ends skips them and stays in sync; otherwise it
    /// drops what it cannot finish and resyncs at the next message boundary, inventing no pair.
    func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord])

    /// The connection closed: messages delimited by the close (HTTP/1.0 bodies) complete now.
    func close(timestamp: UInt64, into records: inout [ProtocolRecord])

    /// How many times this session lost sync with a stream and had to find a message boundary again.
    var resyncCount: Int { get }
}

/// A completed exchange, ready to become a span.
public enum ProtocolRecord: Sendable {
    case http(HTTPExchange)
    case redis(RedisExchange)
    case http2(HTTP2Exchange)
    case mysql(MySQLExchange)
}
