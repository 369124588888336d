import SondeModel

/// Follows the TCP connections of a capture and turns their segments into the events live tracing
/// produces, seen from each connection's server (see ``TCPFlow``).
///
/// A connection starts at a SYN (its sender is the client), at a SYN-ACK when the SYN is missing (its
/// sender is the server), or at the first segment with payload when the handshake is not in the capture:
/// then the lower port is taken for the server, and the protocol session confirms the request direction
/// from the bytes. It ends when both ends sent FIN or either sent RST; a SYN with a new sequence number
/// on the same addresses and ports starts a new connection. Data segments carry stream offsets derived
/// from sequence numbers, so reordered, retransmitted and overlapping segments and missing ranges reach
/// the connection tracker as offsets it already knows how to order, trim and report as gaps.
///
/// Connection ids use process id 0 (a capture has no processes) and a per-capture flow number as the
/// descriptor, so two connections never share an id.
struct TCPFlowTable {
    /// The two ends of a connection, in a fixed order whichever way a packet goes.
    private struct FlowKey: Hashable {
        var lower: TCPEndpoint
        var upper: TCPEndpoint

        init(_ a: TCPEndpoint, _ b: TCPEndpoint) {
            let aFirst = (a.address.high, a.address.low, a.port) < (b.address.high, b.address.low, b.port)
            lower = aFirst ? a : b
            upper = aFirst ? b : a
        }
    }

    private var flows: [FlowKey: TCPFlow] = [:]

    /// Follows one segment, appending the events it causes and counting what it shows.
    mutating func receive(_ packet: TCPPacket, at timestamp: UInt64, into events: inout [RawEvent],
                          counting statistics: inout CaptureStatistics) {
        let source = TCPEndpoint(address: packet.source, port: packet.sourcePort)
        let destination = TCPEndpoint(address: packet.destination, port: packet.destinationPort)
        let key = FlowKey(source, destination)
        let isNewClientSYN = packet.flags.contains(.syn) && !packet.flags.contains(.ack)
        if var flow = flows[key] {
            if isNewClientSYN, flow.clientInitialSequence != packet.sequence {
                if !flow.isClosed {  // the old connection closed without our seeing it
                    events.append(.closed(ConnectionClosed(id: flow.id, timestamp: timestamp)))
                }
            } else if flow.isClosed {
                statistics.segmentsIgnored += 1
                return
            } else {
                flow.receive(packet, from: flow.direction(from: source), at: timestamp, into: &events,
                             counting: &statistics)
                flows[key] = flow
                return
            }
        }
        guard var flow = startFlow(packet, source: source, destination: destination, number: statistics.streams + 1) else {
            statistics.segmentsIgnored += 1
            return
        }
        statistics.streams += 1
        events.append(.opened(flow.opened(at: timestamp)))
        flow.receive(packet, from: flow.direction(from: source), at: timestamp, into: &events, counting: &statistics)
        flows[key] = flow
    }

    /// A new connection for a segment of no known one: nil for segments that cannot start one (no SYN
    /// and no payload: acknowledgments, FIN and RST of connections the capture never showed).
    private func startFlow(_ packet: TCPPacket, source: TCPEndpoint, destination: TCPEndpoint, number: Int) -> TCPFlow? {
        let flags = packet.flags
        let server: TCPEndpoint
        let client: TCPEndpoint
        let role: ConnectionRole
        if flags.contains(.syn) {
            (server, client) = flags.contains(.ack) ? (source, destination) : (destination, source)
            role = .server
        } else if packet.payloadSize > 0, !flags.contains(.rst) {
            (server, client) = source.port < destination.port ? (source, destination) : (destination, source)
            role = .unknown
        } else {
            return nil
        }
        let id = ConnectionID(pid: 0, fd: Int32(truncatingIfNeeded: number), generation: 0)
        let clientISN = flags.contains(.syn) && !flags.contains(.ack) ? packet.sequence : nil
        return TCPFlow(id: id, server: server, client: client, role: role, clientInitialSequence: clientISN)
    }
}
