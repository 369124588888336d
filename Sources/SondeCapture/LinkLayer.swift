/// Removes link-layer headers: what is left is an IPv4 or IPv6 packet.
enum LinkLayer {
    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// 802.1Q and 802.1ad VLAN tags, skipped.
    static let etherTypeVLAN: Set<UInt16> = [0x8100, 0x88A8, 0x9100]

    /// The IP packet inside `packet`, or nil when it carries something else or a link type Sonde does not read.
    static func ipPacket(in packet: CapturedPacket) -> ArraySlice<UInt8>? {
        let data = packet.data
        switch packet.linkType {
        case .ethernet:
            var offset = 12
            while data.count >= offset + 2 {
                let etherType = data.bigEndianUInt16(at: offset)
                if etherTypeVLAN.contains(etherType) {
                    offset += 4
                    continue
                }
                return isIP(etherType) ? data.dropFirst(offset + 2) : nil
            }
            return nil
        case .linuxSLL:
            guard data.count >= 16, isIP(data.bigEndianUInt16(at: 14)) else { return nil }
            return data.dropFirst(16)
        case .linuxSLL2:
            guard data.count >= 20, isIP(data.bigEndianUInt16(at: 0)) else { return nil }
            return data.dropFirst(20)
        case .null, .loop:
            // The address family: AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
            guard data.count >= 4 else { return nil }
            let family = packet.linkType == .loop ? data.bigEndianUInt32(at: 0)
                : min(data.uint32(at: 0, littleEndian: true), data.bigEndianUInt32(at: 0))
            return [2, 10, 24, 28, 30].contains(family) ? data.dropFirst(4) : nil
        case .raw, .ipv4, .ipv6:
            return data
        default:
            return nil
        }
    }

    private static func isIP(_ etherType: UInt16) -> Bool {
        etherType == etherTypeIPv4 || etherType == etherTypeIPv6
    }
}
