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

    /// Follows one segment: anchors the sequence spaces, appends its data (with its stream offset) and,
    /// once both ends sent FIN or either sent RST, the close. Returns false for payload bytes from before
    /// the start of the stream (dropped).
    mutating func receive(_ packet: TCPPacket, from direction: Direction, at timestamp: UInt64,
                          into events: inout [RawEvent]) -> Bool {
        guard !isClosed else { return true }
        let sender = Int(direction.rawValue)
        let receiver = Int(direction.opposite.rawValue)
        if packet.flags.contains(.syn) { sequences[sender].anchor(at: packet.sequence &+ 1) }
        if packet.flags.contains(.ack) { sequences[receiver].anchor(at: packet.acknowledgment) }
        var intact = true
        if packet.payloadSize > 0 {
            let first = packet.flags.contains(.syn) ? packet.sequence &+ 1 : packet.sequence
            if let offset = sequences[sender].offset(of: first) {
                events.append(.data(DataChunk(id: id, tid: 0, direction: direction, offset: offset,
                                              size: packet.payloadSize, payload: Array(packet.payload),
                                              timestamp: timestamp)))
            } else {
                intact = false
            }
        }
        if packet.flags.contains(.fin) { finished[sender] = true }
        if packet.flags.contains(.rst) || finished.allSatisfy({ $0 }) {
            isClosed = true
            events.append(.closed(ConnectionClosed(id: id, timestamp: timestamp)))
        }
        return intact
    }
}
