/// The nine-byte header every HTTP/2 frame starts with (RFC 9113 §4.1).
struct HTTP2FrameHeader: Hashable, Sendable {
    /// Frame types of RFC 9113 §6; other values are extension frames, which are skipped.
    enum Kind: UInt8, Sendable {
        case data = 0, headers, priority, rstStream, settings, pushPromise, ping, goAway, windowUpdate, continuation
    }

    /// The header's size on the wire.
    static let size = 9
    /// The largest frame payload a peer may allow (SETTINGS_MAX_FRAME_SIZE can go up to 2^24-1).
    static let maxPayloadLength = (1 << 24) - 1
    /// The payload limit every endpoint accepts before SETTINGS_MAX_FRAME_SIZE raises it.
    static let defaultMaxPayloadLength = 1 << 14

    static let endStream: UInt8 = 0x1
    static let ack: UInt8 = 0x1
    static let endHeaders: UInt8 = 0x4
    static let padded: UInt8 = 0x8
    static let priority: UInt8 = 0x20

    var length: Int
    var type: UInt8
    var flags: UInt8
    var streamID: UInt32

    /// The type, when it is one of RFC 9113's.
    var kind: Kind? { Kind(rawValue: type) }

    func has(_ flag: UInt8) -> Bool { flags & flag != 0 }

    /// Reads a header from the first nine bytes of `bytes` (which must have them). The reserved bit of
    /// the stream id is reported in `reservedBitSet`, not masked silently.
    init(_ bytes: ArraySlice<UInt8>) {
        let start = bytes.startIndex
        length = Int(bytes[start]) << 16 | Int(bytes[start + 1]) << 8 | Int(bytes[start + 2])
        type = bytes[start + 3]
        flags = bytes[start + 4]
        streamID = UInt32(bytes[start + 5]) << 24 | UInt32(bytes[start + 6]) << 16
            | UInt32(bytes[start + 7]) << 8 | UInt32(bytes[start + 8])
    }

    /// Whether a frame with this header can occur in a valid HTTP/2 stream with frames no larger than
    /// `maxPayloadLength`: the reserved bit clear, a known type with a stream id fitting it, and a
    /// length the type allows. Extension types are refused (this guards inference and resync).
    func isPlausible(maxPayloadLength: Int) -> Bool {
        guard streamID & 0x8000_0000 == 0, length <= maxPayloadLength, let kind else { return false }
        switch kind {
        case .data, .headers, .continuation, .pushPromise: return streamID != 0
        case .priority: return streamID != 0 && length == 5
        case .rstStream: return streamID != 0 && length == 4
        case .settings: return streamID == 0 && length % 6 == 0 && (!has(Self.ack) || length == 0)
        case .ping: return streamID == 0 && length == 8
        case .goAway: return streamID == 0 && length >= 8
        case .windowUpdate: return length == 4
        }
    }
}

/// The client connection preface (RFC 9113 §3.4), sent before the client's first frame.
enum HTTP2Preface {
    static let bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
}
