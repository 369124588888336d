/// A W3C / OpenTelemetry trace id: 16 bytes, never all zero.
public struct TraceID: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A fresh random id.
    public static func random() -> TraceID {
        let (high, low) = RandomID.nextPair()
        var id = TraceID(high: high, low: low)
        if id.high == 0 && id.low == 0 { id.low = 1 }
        return id
    }

    /// Parses 32 lower-case or upper-case hex digits; nil for anything else or the all-zero id.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32,
              let high = UInt64(hex.prefix(16), radix: 16),
              let low = UInt64(hex.suffix(16), radix: 16),
              high != 0 || low != 0 else { return nil }
        self.init(high: high, low: low)
    }

    /// 32 lower-case hex digits, as OTLP/JSON and `traceparent` write it.
    public var hex: String { hexDigits(high, low) }

    /// Appends the 32 hex digits of ``hex`` to `bytes`, without making a string.
    public func appendHex(to bytes: inout [UInt8]) {
        appendHexDigits(of: high, to: &bytes)
        appendHexDigits(of: low, to: &bytes)
    }
    public var description: String { hex }
}

/// A W3C / OpenTelemetry span id: 8 bytes, never zero.
public struct SpanID: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt64

    public init(value: UInt64) {
        self.value = value
    }

    /// A fresh random id.
    public static func random() -> SpanID {
        let value = RandomID.next()
        return SpanID(value: value == 0 ? 1 : value)
    }

    /// Parses 16 hex digits; nil for anything else or the zero id.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 16, let value = UInt64(hex, radix: 16), value != 0 else { return nil }
        self.init(value: value)
    }

    /// 16 lower-case hex digits.
    public var hex: String { hexDigits(value) }

    /// Appends the 16 hex digits of ``hex`` to `bytes`, without making a string.
    public func appendHex(to bytes: inout [UInt8]) {
        appendHexDigits(of: value, to: &bytes)
    }
    public var description: String { hex }
}

/// `first` then `second` (if any) as 16 lower-case hex digits each, zero-padded, in one string.
private func hexDigits(_ first: UInt64, _ second: UInt64? = nil) -> String {
    String(unsafeUninitializedCapacity: second == nil ? 16 : 32) { buffer in
        writeHexDigits(of: first, into: buffer, at: 0)
        if let second { writeHexDigits(of: second, into: buffer, at: 16) }
        return second == nil ? 16 : 32
    }
}

/// Appends `value` as 16 lower-case hex digits, zero-padded: made in place, then appended at once (16 appends
/// had each checked the array's capacity and uniqueness).
func appendHexDigits(of value: UInt64, to bytes: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
        writeHexDigits(of: value, into: digits, at: 0)
        bytes.append(contentsOf: digits)
    }
}

/// Writes `value` as 16 lower-case hex digits, zero-padded, into `buffer` from `start`.
private func writeHexDigits(of value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
    for digit in 0..<16 {
        let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * UInt64(digit))) & 0xF
        buffer[start + digit] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}

/// The digits of lower-case hex, as ids and JSON escapes write them.
let lowercaseHexDigits: [UInt8] = Array("0123456789abcdef".utf8)
