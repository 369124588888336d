/// Reads pcapng files: sections in either byte order, several interfaces with their own link types and
/// timestamp resolutions (`if_tsresol`, `if_tsoffset`), enhanced, simple and obsolete packet blocks.
/// Other blocks (name resolution, statistics, custom) are skipped.
public struct PcapNGReader: Sendable {
    /// What a packet needs to know of the interface that captured it.
    struct Interface: Sendable {
        var linkType: LinkType
        var snapLength: Int
        var resolution = TimestampResolution.microseconds
        /// Seconds added to every timestamp (`if_tsoffset`).
        var offsetSeconds: Int64 = 0
    }

    private let bytes: [UInt8]
    private var position = 0
    private var littleEndian = true
    private var interfaces: [Interface] = []
    private var packetsRead = 0
    /// Simple packet blocks carry no timestamp: they get the previous packet's.
    private var lastTimestamp: UInt64 = 0

    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    /// Whether `bytes` start with a pcapng section header block.
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0..<4].bigEndianUInt32(at: 0) == sectionHeaderType
    }

    /// Checks the first section header; throws when `bytes` are not pcapng or end inside it.
    public init(bytes: [UInt8]) throws {
        guard Self.recognizes(bytes) else { throw CaptureError.notACapture(reason: "no pcapng section header") }
        self.bytes = bytes
        guard bytes.count >= 12 else { throw CaptureError.truncated(atByte: 0, packetsRead: 0) }
        try readSectionByteOrder(at: 0)
    }

    /// The interfaces of the current section, in the order their description blocks came.
    var interfaceLinkTypes: [LinkType] { interfaces.map(\.linkType) }

    /// The next packet, or nil at the end of the file; throws when the file ends inside a block or a block
    /// is impossible.
    public mutating func nextPacket() throws -> CapturedPacket? {
        while position < bytes.count {
            let start = position
            guard bytes.count - start >= 12 else { throw CaptureError.truncated(atByte: start, packetsRead: packetsRead) }
            let type = bytes[start...].bigEndianUInt32(at: 0)
            if type == Self.sectionHeaderType { try readSectionByteOrder(at: start) }
            let length = Int(bytes[start...].uint32(at: 4, littleEndian: littleEndian))
            guard length >= 12, length % 4 == 0, length <= PcapReader.maximumRecordSize else {
                throw CaptureError.malformed(atByte: start, reason: "a block claims \(length) bytes")
            }
            guard bytes.count - start >= length else { throw CaptureError.truncated(atByte: start, packetsRead: packetsRead) }
            position = start + length
            let body = bytes[(start + 8)..<(start + length - 4)]
            switch bytes[start...].uint32(at: 0, littleEndian: littleEndian) {
            case Self.sectionHeaderType: interfaces = []
            case 1: interfaces.append(try interface(from: body, at: start))
            case 6: return try packet(body, headerSize: 20, interfaceField: 4, at: start)
            case 2: return try packet(body, headerSize: 20, interfaceField: 2, at: start)
            case 3: return try simplePacket(body, at: start)
            default: continue
            }
        }
        return nil
    }

    private mutating func readSectionByteOrder(at start: Int) throws {
        let magic = bytes[start...].bigEndianUInt32(at: 8)
        switch magic {
        case Self.byteOrderMagic: littleEndian = false
        case Self.byteOrderMagic.byteSwapped: littleEndian = true
        default: throw CaptureError.malformed(atByte: start, reason: "a section header has no byte-order magic")
        }
    }

    private func interface(from body: ArraySlice<UInt8>, at start: Int) throws -> Interface {
        guard body.count >= 8 else { throw CaptureError.malformed(atByte: start, reason: "an interface block is too short") }
        var interface = Interface(linkType: LinkType(rawValue: UInt32(body.uint16(at: 0, littleEndian: littleEndian))),
                                  snapLength: Int(body.uint32(at: 4, littleEndian: littleEndian)))
        var option = 8
        while body.count - option >= 4 {
            let code = body.uint16(at: option, littleEndian: littleEndian)
            let length = Int(body.uint16(at: option + 2, littleEndian: littleEndian))
            let value = option + 4
            guard code != 0, body.count - value >= length else { break }
            if code == 9, length >= 1 {
                interface.resolution = TimestampResolution(ifTsresol: body[body.startIndex + value])
            } else if code == 14, length >= 8 {
                let high = UInt64(body.uint32(at: value, littleEndian: littleEndian))
                let low = UInt64(body.uint32(at: value + 4, littleEndian: littleEndian))
                interface.offsetSeconds = Int64(bitPattern: littleEndian ? low << 32 | high : high << 32 | low)
            }
            option = value + (length + 3) & ~3
        }
        return interface
    }

    /// An enhanced (interface id in 4 bytes) or obsolete (2 bytes) packet block.
    private mutating func packet(_ body: ArraySlice<UInt8>, headerSize: Int, interfaceField: Int,
                                 at start: Int) throws -> CapturedPacket {
        guard body.count >= headerSize else { throw CaptureError.malformed(atByte: start, reason: "a packet block is too short") }
        let interfaceID = interfaceField == 4 ? Int(body.uint32(at: 0, littleEndian: littleEndian))
                                              : Int(body.uint16(at: 0, littleEndian: littleEndian))
        guard interfaceID < interfaces.count else {
            throw CaptureError.malformed(atByte: start, reason: "a packet names interface \(interfaceID), which was never described")
        }
        let interface = interfaces[interfaceID]
        let ticks = UInt64(body.uint32(at: 4, littleEndian: littleEndian)) << 32
            | UInt64(body.uint32(at: 8, littleEndian: littleEndian))
        let capturedLength = Int(body.uint32(at: 12, littleEndian: littleEndian))
        let originalLength = Int(body.uint32(at: 16, littleEndian: littleEndian))
        guard body.count - headerSize >= capturedLength else {
            throw CaptureError.malformed(atByte: start, reason: "a packet claims more bytes than its block holds")
        }
        let dataStart = body.startIndex + headerSize
        var timestamp = interface.resolution.nanoseconds(ticks)
        timestamp = UInt64(clamping: Int64(clamping: timestamp) &+ interface.offsetSeconds &* 1_000_000_000)
        lastTimestamp = timestamp
        packetsRead += 1
        return CapturedPacket(timestamp: timestamp, linkType: interface.linkType,
                              data: body[dataStart..<(dataStart + capturedLength)],
                              originalLength: max(originalLength, capturedLength))
    }

    /// A simple packet block: interface 0, no timestamp, captured length bounded by the snap length.
    private mutating func simplePacket(_ body: ArraySlice<UInt8>, at start: Int) throws -> CapturedPacket {
        guard body.count >= 4, let interface = interfaces.first else {
            throw CaptureError.malformed(atByte: start, reason: "a simple packet block without an interface")
        }
        let originalLength = Int(body.uint32(at: 0, littleEndian: littleEndian))
        let available = body.count - 4
        let capturedLength = min(originalLength, interface.snapLength == 0 ? available : interface.snapLength, available)
        let dataStart = body.startIndex + 4
        packetsRead += 1
        return CapturedPacket(timestamp: lastTimestamp, linkType: interface.linkType,
                              data: body[dataStart..<(dataStart + capturedLength)], originalLength: originalLength)
    }
}
