import SondeTestSupport

/// An Ethernet + IPv4 + TCP frame from a Linux `lo` capture, taken apart so a test can rewrite it.
struct LoopbackFrame {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var tcpStart: Int { 14 + Int(bytes[14] & 0x0F) * 4 }
    private var payloadStart: Int { tcpStart + Int(bytes[tcpStart + 12] >> 4) * 4 }

    var payload: [UInt8] { Array(bytes[payloadStart...]) }

    var sequence: UInt32 {
        bytes[(tcpStart + 4)..<(tcpStart + 8)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The TCP flag byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10).
    var flags: UInt8 {
        get { bytes[tcpStart + 13] }
        set { bytes[tcpStart + 13] = newValue }
    }

    /// The same frame carrying `payload[range]` at the sequence number those bytes had.
    func carrying(_ range: Range<Int>) -> LoopbackFrame {
        var frame = LoopbackFrame(Array(bytes[..<payloadStart]) + payload[range])
        let sequence = self.sequence &+ UInt32(range.lowerBound)
        for index in 0..<4 { frame.bytes[tcpStart + 4 + index] = UInt8(truncatingIfNeeded: sequence >> (24 - 8 * UInt32(index))) }
        let totalLength = frame.bytes.count - 14
        frame.bytes[16] = UInt8(totalLength >> 8)
        frame.bytes[17] = UInt8(totalLength & 0xFF)
        return frame
    }

    /// The frame without its Ethernet header: a raw IPv4 packet.
    var ipPacket: [UInt8] { Array(bytes[14...]) }
}

extension PcapWriter.Record {
    /// This record with its frame rewritten by `edit`.
    func editing(_ edit: (LoopbackFrame) -> LoopbackFrame) -> PcapWriter.Record {
        PcapWriter.Record(timestamp: timestamp, data: edit(LoopbackFrame(data)).bytes)
    }
}
