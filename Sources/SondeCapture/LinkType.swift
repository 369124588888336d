/// The link-layer header type of captured packets (the `LINKTYPE_*` numbers of pcap and pcapng).
public struct LinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    public static let null = LinkType(rawValue: 0)
    /// Ethernet II, with optional 802.1Q tags (Linux `lo` captures are Ethernet with zero addresses).
    public static let ethernet = LinkType(rawValue: 1)
    /// Raw IPv4 or IPv6, no link header.
    public static let raw = LinkType(rawValue: 101)
    /// OpenBSD loopback: a 4-byte address family in network byte order.
    public static let loop = LinkType(rawValue: 108)
    /// Linux cooked capture v1 (`tcpdump -i any`), 16-byte header.
    public static let linuxSLL = LinkType(rawValue: 113)
    /// Raw IPv4, no link header.
    public static let ipv4 = LinkType(rawValue: 228)
    /// Raw IPv6, no link header.
    public static let ipv6 = LinkType(rawValue: 229)
    /// Linux cooked capture v2 (`tcpdump -i any -y LINUX_SLL2`), 20-byte header.
    public static let linuxSLL2 = LinkType(rawValue: 276)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .raw: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .linuxSLL2: "LINUX_SLL2"
        default: "LINKTYPE \(rawValue)"
        }
    }
}
