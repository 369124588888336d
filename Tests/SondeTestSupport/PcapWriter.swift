/// Writes classic pcap files (little endian), for tests that edit real captures: drop, reorder or rewrite
/// packets, or change the link layer, then replay the result.
public struct PcapWriter {
    /// One packet record.
    public struct Record {
        /// Nanoseconds since the Unix epoch.
        public var timestamp: UInt64
        /// The packet from its link-layer header on.
        public var data: [UInt8]

        public init(timestamp: UInt64, data: [UInt8]) {
            self.timestamp = timestamp
            self.data = data
        }
    }

    public let linkType: UInt32
    public let nanosecondTimestamps: Bool
    public private(set) var bytes: [UInt8] = []

    public init(linkType: UInt32, nanosecondTimestamps: Bool = true) {
        self.linkType = linkType
        self.nanosecondTimestamps = nanosecondTimestamps
        append32(nanosecondTimestamps ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        append16(2)
        append16(4)
        append32(0)  // thiszone
        append32(0)  // sigfigs
        append32(262_144)  // snaplen
        append32(linkType)
    }

    /// Appends one record.
    public mutating func append(_ record: Record) {
        let fraction = record.timestamp % 1_000_000_000
        append32(UInt32(record.timestamp / 1_000_000_000))
        append32(UInt32(nanosecondTimestamps ? fraction : fraction / 1000))
        append32(UInt32(record.data.count))
        append32(UInt32(record.data.count))
        bytes += record.data
    }

    /// A whole file of `records`.
    public static func file(linkType: UInt32, records: [Record]) -> [UInt8] {
        var writer = PcapWriter(linkType: linkType)
        records.forEach { writer.append($0) }
        return writer.bytes
    }

    private mutating func append16(_ value: UInt16) {
        bytes += [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private mutating func append32(_ value: UInt32) {
        append16(UInt16(value & 0xFFFF))
        append16(UInt16(value >> 16))
    }
}
