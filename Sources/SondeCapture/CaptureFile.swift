/// A capture file of either format, recognised by its first bytes.
public struct CaptureFile: Sendable {
    /// The file formats Sonde reads.
    public enum Format: String, Sendable {
        case pcap
        case pcapng
    }

    private enum Reader: Sendable {
        case pcap(PcapReader)
        case pcapng(PcapNGReader)
    }

    private var reader: Reader

    /// Recognises the format from the magic number and reads the file header. Throws
    /// ``CaptureError/notACapture(reason:)`` for anything else, including an empty file.
    public init(bytes: [UInt8]) throws {
        if bytes.isEmpty {
            throw CaptureError.notACapture(reason: "the file is empty")
        } else if PcapReader.recognizes(bytes) {
            reader = .pcap(try PcapReader(bytes: bytes))
        } else if PcapNGReader.recognizes(bytes) {
            reader = .pcapng(try PcapNGReader(bytes: bytes))
        } else {
            throw CaptureError.notACapture(reason: "it starts with neither a pcap magic number nor a pcapng section header")
        }
    }

    public var format: Format {
        switch reader {
        case .pcap: .pcap
        case .pcapng: .pcapng
        }
    }

    /// The next packet, or nil at the end; throws a ``CaptureError`` where the file is cut short or damaged
    /// (the packets before it were returned).
    public mutating func nextPacket() throws -> CapturedPacket? {
        switch reader {
        case .pcap(var pcap):
            defer { reader = .pcap(pcap) }
            return try pcap.nextPacket()
        case .pcapng(var pcapng):
            defer { reader = .pcapng(pcapng) }
            return try pcapng.nextPacket()
        }
    }
}
