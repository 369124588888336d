/// The IP and TCP headers of one captured TCP segment, and its payload.
struct TCPPacket {
    /// The TCP flag bits Sonde follows.
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let fin = Flags(rawValue: 0x01)
        static let syn = Flags(rawValue: 0x02)
        static let rst = Flags(rawValue: 0x04)
        static let ack = Flags(rawValue: 0x10)
    }

    var source: IPAddress
    var destination: IPAddress
    var sourcePort: UInt16
    var destinationPort: UInt16
    var sequence: UInt32
    var acknowledgment: UInt32
    var flags: Flags
    /// The captured payload bytes.
    var payload: ArraySlice<UInt8>
    /// The payload's real size, from the IP length (more than `payload.count` when the capture was cut).
    var payloadSize: Int

    static let ipProtocolTCP: UInt8 = 6

    /// The TCP segment in an IP packet; nil for other protocols, fragments and headers too damaged to read.
    static func decode(ip bytes: ArraySlice<UInt8>) -> TCPPacket? {
        guard let first = bytes.first else { return nil }
        switch first >> 4 {
        case 4: return decodeIPv4(bytes)
        case 6: return decodeIPv6(bytes)
        default: return nil
        }
    }

    private static func decodeIPv4(_ bytes: ArraySlice<UInt8>) -> TCPPacket? {
        guard bytes.count >= 20 else { return nil }
        let headerLength = Int(bytes[bytes.startIndex] & 0x0F) * 4
        let totalLength = Int(bytes.bigEndianUInt16(at: 2))
        let fragment = bytes.bigEndianUInt16(at: 6)
        guard headerLength >= 20, bytes.count >= headerLength, bytes[bytes.startIndex + 9] == ipProtocolTCP,
              fragment & 0x3FFF == 0 else { return nil }  // more-fragments flag or a fragment offset
        // Segmentation offload can leave a total length of 0: then the captured bytes are the packet.
        let declared = totalLength >= headerLength ? totalLength - headerLength : bytes.count - headerLength
        return decodeTCP(bytes.dropFirst(headerLength), declaredLength: declared,
                         source: IPAddress(ipv4: bytes.bigEndianUInt32(at: 12)),
                         destination: IPAddress(ipv4: bytes.bigEndianUInt32(at: 16)))
    }

    private static func decodeIPv6(_ bytes: ArraySlice<UInt8>) -> TCPPacket? {
        guard bytes.count >= 40 else { return nil }
        var next = bytes[bytes.startIndex + 6]
        var offset = 40
        var declared = Int(bytes.bigEndianUInt16(at: 4))
        // Hop-by-hop, routing and destination options headers are skipped; a fragment header ends the search.
        while [0, 43, 60].contains(next) {
            guard bytes.count >= offset + 8 else { return nil }
            let length = (Int(bytes[bytes.startIndex + offset + 1]) + 1) * 8
            next = bytes[bytes.startIndex + offset]
            offset += length
            declared -= length
        }
        guard next == ipProtocolTCP, bytes.count >= offset else { return nil }
        let source = IPAddress(ipv6High: UInt64(bytes.bigEndianUInt32(at: 8)) << 32 | UInt64(bytes.bigEndianUInt32(at: 12)),
                               low: UInt64(bytes.bigEndianUInt32(at: 16)) << 32 | UInt64(bytes.bigEndianUInt32(at: 20)))
        let destination = IPAddress(ipv6High: UInt64(bytes.bigEndianUInt32(at: 24)) << 32 | UInt64(bytes.bigEndianUInt32(at: 28)),
                                    low: UInt64(bytes.bigEndianUInt32(at: 32)) << 32 | UInt64(bytes.bigEndianUInt32(at: 36)))
        if declared <= 0 { declared = bytes.count - offset }  // jumbogram or offload: trust the capture
        return decodeTCP(bytes.dropFirst(offset), declaredLength: declared, source: source, destination: destination)
    }

    private static func decodeTCP(_ bytes: ArraySlice<UInt8>, declaredLength: Int, source: IPAddress,
                                  destination: IPAddress) -> TCPPacket? {
        guard bytes.count >= 20 else { return nil }
        let headerLength = Int(bytes[bytes.startIndex + 12] >> 4) * 4
        guard headerLength >= 20, bytes.count >= headerLength, declaredLength >= headerLength else { return nil }
        let payloadSize = declaredLength - headerLength
        // Ethernet pads short frames: never take bytes beyond the IP length.
        let payload = bytes.dropFirst(headerLength).prefix(payloadSize)
        return TCPPacket(source: source, destination: destination,
                         sourcePort: bytes.bigEndianUInt16(at: 0), destinationPort: bytes.bigEndianUInt16(at: 2),
                         sequence: bytes.bigEndianUInt32(at: 4), acknowledgment: bytes.bigEndianUInt32(at: 8),
                         flags: Flags(rawValue: bytes[bytes.startIndex + 13]), payload: payload,
                         payloadSize: payloadSize)
    }
}
