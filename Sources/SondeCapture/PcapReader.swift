/// Reads classic pcap files: either byte order, microsecond (`a1b2c3d4`) or nanosecond (`a1b23c4d`)
/// timestamps, one link type per file.
public struct PcapReader: Sendable {
    /// The file's link type, shared by every packet.
    public let linkType: LinkType
    /// Whether timestamps count nanoseconds (else microseconds).
    public let hasNanosecondTimestamps: Bool
    private let littleEndian: Bool
    private let bytes: [UInt8]
    private var position = PcapReader.fileHeaderSize
    private var packetsRead = 0

    static let fileHeaderSize = 24
    static let recordHeaderSize = 16
    /// Records claiming more than this are damage, not packets (pcap snap lengths top out at 256 KiB).
    static let maximumRecordSize = 16 << 20

    /// Whether `bytes` start with a pcap magic number, in either byte order.
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && magic(bytes[0..<4]) != nil
    }

    /// Reads the file header; throws when `bytes` are not a pcap file or end inside the header.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 4, let (littleEndian, nanoseconds) = Self.magic(bytes[0..<4]) else {
            throw CaptureError.notACapture(reason: "no pcap magic number")
        }
        guard bytes.count >= Self.fileHeaderSize else {
            throw CaptureError.truncated(atByte: 0, packetsRead: 0)
        }
        self.bytes = bytes
        self.littleEndian = littleEndian
        hasNanosecondTimestamps = nanoseconds
        // The upper bits of the link-type field may carry FCS information; the type is the low 16 bits.
        linkType = LinkType(rawValue: bytes[20..<24].uint32(at: 0, littleEndian: littleEndian) & 0xFFFF)
    }

    /// The next packet, or nil at the end of the file; throws when the file ends inside a record.
    public mutating func nextPacket() throws -> CapturedPacket? {
        guard position < bytes.count else { return nil }
        let header = bytes[position...]
        guard header.count >= Self.recordHeaderSize else {
            throw CaptureError.truncated(atByte: position, packetsRead: packetsRead)
        }
        let seconds = UInt64(header.uint32(at: 0, littleEndian: littleEndian))
        let fraction = UInt64(header.uint32(at: 4, littleEndian: littleEndian))
        let capturedLength = Int(header.uint32(at: 8, littleEndian: littleEndian))
        let originalLength = Int(header.uint32(at: 12, littleEndian: littleEndian))
        guard capturedLength <= Self.maximumRecordSize else {
            throw CaptureError.malformed(atByte: position, reason: "a record claims \(capturedLength) bytes")
        }
        let dataStart = position + Self.recordHeaderSize
        guard bytes.count - dataStart >= capturedLength else {
            throw CaptureError.truncated(atByte: position, packetsRead: packetsRead)
        }
        position = dataStart + capturedLength
        packetsRead += 1
        let timestamp = seconds * 1_000_000_000 + (hasNanosecondTimestamps ? fraction : fraction * 1000)
        return CapturedPacket(timestamp: timestamp, linkType: linkType,
                              data: bytes[dataStart..<position], originalLength: max(originalLength, capturedLength))
    }

    /// (little endian, nanosecond timestamps) for a pcap magic number.
    private static func magic(_ first4: ArraySlice<UInt8>) -> (Bool, Bool)? {
        switch first4.bigEndianUInt32(at: 0) {
        case 0xA1B2C3D4: (false, false)
        case 0xD4C3B2A1: (true, false)
        case 0xA1B23C4D: (false, true)
        case 0x4D3CB2A1: (true, true)
        default: nil
        }
    }
}
