/// Why a capture file cannot be read (further).
public enum CaptureError: Error, Equatable, CustomStringConvertible {
    /// The file is empty, or does not start like a pcap or pcapng file.
    case notACapture(reason: String)
    /// The file ends inside a header or a packet record: it was cut short.
    case truncated(atByte: Int, packetsRead: Int)
    /// A header or a block says something impossible (a length that cannot be, an unknown interface).
    case malformed(atByte: Int, reason: String)

    public var description: String {
        switch self {
        case .notACapture(let reason):
            "is not a pcap or pcapng capture (\(reason))"
        case .truncated(let offset, let packets):
            "is truncated: it ends inside the record at byte \(offset), after \(packets) complete packets"
        case .malformed(let offset, let reason):
            "is damaged at byte \(offset): \(reason)"
        }
    }
}
