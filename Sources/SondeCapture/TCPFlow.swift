import SondeModel

/// One TCP connection of a capture, seen from its server: bytes from the server are `.egress`, bytes
/// from the client `.ingress`, as they would be when tracing the server process.
struct TCPFlow {
    let id: ConnectionID
    let server: TCPEndpoint
    let client: TCPEndpoint
    /// `.server` when the handshake showed who connected; `.unknown` when the server was guessed from the
    /// ports (the session then finds the request direction in the bytes).
    let role: ConnectionRole
    /// Indexed by `Direction.rawValue`: what the server sent, what the client sent.
    private var sequences = [SequenceSpace(), SequenceSpace()]
    private var coverage = [StreamCoverage(), StreamCoverage()]
    private var finished = [false, false]
    /// The client's initial sequence number, when its SYN was seen (tells a retransmitted SYN from a new connection).
    let clientInitialSequence: UInt32?
    private(set) var isClosed = false

    init(id: ConnectionID, server: TCPEndpoint, client: TCPEndpoint, role: ConnectionRole, clientInitialSequence: UInt32?) {
        self.id = id
        self.server = server
        self.client = client
        self.role = role
        self.clientInitialSequence = clientInitialSequence
    }

    /// The event announcing the flow.
    func opened(at timestamp: UInt64) -> ConnectionOpened {
        ConnectionOpened(id: id, role: role, local: server.socketAddress, remote: client.socketAddress, timestamp: timestamp)
    }

    /// The direction of a packet sent from `source`.
    func direction(from source: TCPEndpoint) -> Direction {
        source == server ? .egress : .ingress
    }

    /// Follows one segment: anchors the sequence spaces, appends its data (with its stream offset), the
    /// ranges it proves missing (as chunks of uncaptured bytes) and, once both ends sent FIN or either
    /// sent RST, the close. Counts missing ranges and payload from before the start of the stream (dropped).
    mutating func receive(_ packet: TCPPacket, from direction: Direction, at timestamp: UInt64,
                          into events: inout [RawEvent], counting statistics: inout CaptureStatistics) {
        guard !isClosed else { return }
        let sender = Int(direction.rawValue)
        let receiver = Int(direction.opposite.rawValue)
        if packet.flags.contains(.syn) { sequences[sender].anchor(at: packet.sequence &+ 1) }
        if packet.payloadSize > 0 {
            let first = packet.flags.contains(.syn) ? packet.sequence &+ 1 : packet.sequence
            if let offset = sequences[sender].offset(of: first) {
                events.append(.data(DataChunk(id: id, tid: 0, direction: direction, offset: offset,
                                              size: packet.payloadSize, payload: Array(packet.payload),
                                              timestamp: timestamp)))
                let missing = coverage[sender].captured(offset..<(offset + UInt64(packet.payloadSize)))
                report(missing, direction: direction, at: timestamp, into: &events, counting: &statistics)
            } else {
                statistics.segmentsBeforeStart += 1
            }
        }
        if packet.flags.contains(.ack) {
            sequences[receiver].anchor(at: packet.acknowledgment)
            if let acknowledged = sequences[receiver].offset(of: packet.acknowledgment) {
                let missing = coverage[receiver].acknowledge(upTo: acknowledged)
                report(missing, direction: direction.opposite, at: timestamp, into: &events, counting: &statistics)
            }
        }
        if packet.flags.contains(.fin) {
            finished[sender] = true
            // The FIN marks the end of the stream: an acknowledged hole before it was lost from the capture.
            let end = packet.sequence &+ (packet.flags.contains(.syn) ? 1 : 0) &+ UInt32(truncatingIfNeeded: packet.payloadSize)
            if let offset = sequences[sender].offset(of: end) {
                report(coverage[sender].captured(offset..<offset), direction: direction, at: timestamp, into: &events,
                       counting: &statistics)
            }
        }
        if packet.flags.contains(.rst) || finished.allSatisfy({ $0 }) {
            isClosed = true
            events.append(.closed(ConnectionClosed(id: id, timestamp: timestamp)))
        }
    }

    /// Bytes that went by uncaptured, as the tracker knows them from truncated calls: size without payload.
    private func report(_ missing: [Range<UInt64>], direction: Direction, at timestamp: UInt64,
                        into events: inout [RawEvent], counting statistics: inout CaptureStatistics) {
        for range in missing {
            let size = Int(range.upperBound - range.lowerBound)
            statistics.missingRanges += 1
            statistics.missingBytes += size
            events.append(.data(DataChunk(id: id, tid: 0, direction: direction, offset: range.lowerBound,
                                          size: size, payload: [], timestamp: timestamp)))
        }
    }
}
