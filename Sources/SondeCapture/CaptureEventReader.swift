import SondeModel

/// Reads a capture file and produces the events live tracing would have produced for its TCP connections,
/// with the capture's timestamps and each connection seen from its server (see ``TCPFlowTable``).
///
/// Events come in capture order, ready for `ConnectionTracker.handle`. The capture knows no processes,
/// so no event names one.
public struct CaptureEventReader: Sendable {
    private var file: CaptureFile
    private var flows = TCPFlowTable()
    private var pending: [RawEvent] = []
    private var pendingIndex = 0

    /// Recognises the file; throws ``CaptureError/notACapture(reason:)`` when it is neither pcap nor pcapng.
    public init(bytes: [UInt8]) throws {
        file = try CaptureFile(bytes: bytes)
    }

    public var format: CaptureFile.Format { file.format }

    /// The counts so far.
    public private(set) var statistics = CaptureStatistics()

    /// The next event, or nil at the end of the capture; throws a ``CaptureError`` where the file is cut
    /// short or damaged, after every event of the packets before that point.
    public mutating func nextEvent() throws -> RawEvent? {
        while pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            guard let packet = try file.nextPacket() else { return nil }
            statistics.packets += 1
            statistics.capturedBytes += packet.data.count
            guard let ip = LinkLayer.ipPacket(in: packet), let segment = TCPPacket.decode(ip: ip) else {
                statistics.skippedPackets += 1
                continue
            }
            flows.receive(segment, at: packet.timestamp, into: &pending, counting: &statistics)
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }
}
