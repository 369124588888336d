import SondeModel

/// A W3C Trace Context `traceparent` header: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`.
public struct TraceParent: Hashable, Sendable {
    public var traceID: TraceID
    /// The span that made the request, which a span of the request continues.
    public var parentSpanID: SpanID
    public var flags: UInt8

    /// Parses a header value (surrounding spaces and tabs allowed); nil unless it is a valid version 00
    /// header with lower-case hex and non-zero ids.
    public init?(header: String) {
        let value = header.utf8.drop { $0 == .space || $0 == .tab }.reversed().drop { $0 == .space || $0 == .tab }
        let bytes = Array(value.reversed())
        guard bytes.count == 55, bytes[0] == .zero, bytes[1] == .zero,
              bytes[2] == .dash, bytes[35] == .dash, bytes[52] == .dash,
              let traceHigh = Self.hexValue(bytes[3..<19]), let traceLow = Self.hexValue(bytes[19..<35]),
              let parent = Self.hexValue(bytes[36..<52]), let flags = Self.hexValue(bytes[53..<55]),
              traceHigh != 0 || traceLow != 0, parent != 0 else { return nil }
        self.traceID = TraceID(high: traceHigh, low: traceLow)
        self.parentSpanID = SpanID(value: parent)
        self.flags = UInt8(flags)
    }

    /// The value of up to 16 lower-case hex digits; nil if any byte is not one.
    private static func hexValue(_ digits: ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }
}

/// The ids of a new span: random, joined to the caller's trace when the request carried a `traceparent`.
struct SpanIdentity {
    var traceID: TraceID
    var spanID: SpanID
    var parentSpanID: SpanID?

    init(continuing traceParent: TraceParent?) {
        traceID = traceParent?.traceID ?? .random()
        spanID = .random()
        parentSpanID = traceParent?.parentSpanID
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let dash = UInt8(ascii: "-")
    fileprivate static let zero = UInt8(ascii: "0")
}
