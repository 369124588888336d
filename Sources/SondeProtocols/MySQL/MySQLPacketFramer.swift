/// Cuts one direction of a MySQL connection into logical packets: a 3-byte little-endian payload
/// length and a sequence id before every physical packet, and a payload of exactly 0xFFFFFF bytes
/// continued by the next physical packet (the 16 MiB split).
///
/// Only the first `retainedBytes` of a payload are kept (what the parser reads: headers, statement
/// text); the real lengths keep the framer in sync through bytes that were not captured.
struct MySQLPacketFramer {
    /// A complete logical packet.
    struct Packet {
        /// The sequence id of its first physical packet.
        var sequenceID: UInt8
        /// The payload's first bytes (all of them unless `length` is larger).
        var payload: [UInt8]
        /// The payload's real length, across continuations.
        var length: Int
        var start: StreamMark
        var end: StreamMark

        /// Every byte of the payload was captured.
        var isComplete: Bool { payload.count == length }
        var first: UInt8? { payload.first }
    }

    enum Event {
        case packet(Packet)
        /// Uncaptured bytes fell inside a packet header: the framing is lost until the next command.
        case lostSync
    }

    static let maxPhysicalLength = 0xFF_FFFF
    /// Payload bytes kept per logical packet.
    static let retainedBytes = 64 * 1024

    private var header: [UInt8] = []
    /// Payload bytes still to come of the current physical packet.
    private var remaining = 0
    /// The logical packet being assembled, once its first header is read.
    private var current: Packet?
    /// The current physical packet is full length: another one continues the logical packet.
    private var continues = false
    /// False after a loss of sync, until `resync()`.
    private(set) var isInSync = true

    /// No packet is half read: the next byte starts a packet.
    var isIdle: Bool { current == nil && header.isEmpty }

    /// Decodes the next packet of `bytes` from `index`, or nil when the bytes run out.
    mutating func next(_ bytes: [UInt8], at index: inout Int, mark: StreamMark) -> Packet? {
        guard isInSync else {
            index = bytes.count
            return nil
        }
        while index < bytes.count {
            if current == nil || (remaining == 0 && continues) {
                if !readHeader(bytes, at: &index, mark: mark) { return nil }
                if remaining == 0, !continues, let packet = finish(at: mark) { return packet }
                continue
            }
            let take = min(remaining, bytes.count - index)
            let room = max(0, Self.retainedBytes - current!.payload.count)
            current!.payload += bytes[index..<(index + min(take, room))]
            index += take
            remaining -= take
            if remaining == 0, !continues, let packet = finish(at: mark) { return packet }
        }
        return nil
    }

    /// `count` bytes were not captured: passed over inside a payload, or a loss of sync.
    mutating func skip(_ count: Int, mark: StreamMark) -> Event? {
        guard isInSync, count > 0 else { return nil }
        guard current != nil, header.isEmpty, count <= remaining else {
            lose()
            return .lostSync
        }
        remaining -= count
        if remaining == 0, !continues, let packet = finish(at: mark) { return .packet(packet) }
        return nil
    }

    /// Starts over at a packet boundary the caller found (the start of a chunk holding a command).
    mutating func resync() {
        lose()
        isInSync = true
    }

    /// Stops following the stream (a loss of sync, TLS or compression).
    mutating func lose() {
        header = []
        remaining = 0
        current = nil
        continues = false
        isInSync = false
    }

    private mutating func readHeader(_ bytes: [UInt8], at index: inout Int, mark: StreamMark) -> Bool {
        let take = min(4 - header.count, bytes.count - index)
        header += bytes[index..<(index + take)]
        index += take
        guard header.count == 4 else { return false }
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        if current == nil {
            current = Packet(sequenceID: header[3], payload: [], length: 0, start: mark, end: mark)
        }
        current!.length += length
        remaining = length
        continues = length == Self.maxPhysicalLength
        header = []
        return true
    }

    private mutating func finish(at mark: StreamMark) -> Packet? {
        guard var packet = current else { return nil }
        packet.end = mark
        current = nil
        return packet
    }
}
