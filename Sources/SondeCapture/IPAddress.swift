/// An IPv4 or IPv6 address as found in a packet header, cheap to hash.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bytes of an IPv6 address, or an IPv4 address in the low 4 bytes of `low`.
    var high: UInt64
    var low: UInt64
    public let isIPv4: Bool

    /// An IPv4 address from its 4 bytes in network order.
    init(ipv4 value: UInt32) {
        high = 0
        low = UInt64(value)
        isIPv4 = true
    }

    /// An IPv6 address from its two 8-byte halves in network order.
    init(ipv6High high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
        isIPv4 = false
    }

    /// `127.0.0.1`, or an IPv6 address in RFC 5952 form (`::1`, `2001:db8::7`); IPv4-mapped IPv6
    /// addresses as plain IPv4, as Sonde's live addresses are.
    public var description: String {
        if isIPv4 { return Self.dotted(UInt32(truncatingIfNeeded: low)) }
        if high == 0, low >> 32 == 0xFFFF { return Self.dotted(UInt32(truncatingIfNeeded: low)) }
        let groups = (0..<8).map { index -> UInt16 in
            let half = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: half >> (48 - 16 * UInt64(index % 4)))
        }
        // The longest run of two or more zero groups (the first such) becomes "::".
        var best: Range<Int>?
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            let start = index
            while index < 8, groups[index] == 0 { index += 1 }
            if index - start >= 2, index - start > (best?.count ?? 0) { best = start..<index }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let best else { return hex.joined(separator: ":") }
        return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
    }

    private static func dotted(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
