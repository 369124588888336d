import SondeModel

/// The MySQL (and MariaDB) state of one connection: follows the handshake (server version, user,
/// initial schema, capabilities), then pairs every command with its response.
///
/// - The default schema starts at the handshake's and follows successful `COM_INIT_DB` and `USE`; it is
///   unknown on a connection joined mid-stream until one of those.
/// - Prepared statements: the text a PREPARE carried is remembered by statement id until CLOSE, so
///   EXECUTE, RESET, SEND_LONG_DATA and CLOSE spans carry it; one whose PREPARE was not seen says so.
/// - A connection that switches to TLS (an SSL request) or to compression is left alone: its socket
///   bytes are not parsed further (TLS plaintext arrives through the TLS probes, as a new stream).
/// - Joined mid-stream, the session waits for a client packet with sequence id 0 naming a known
///   command; a response pairs with a command only when its first packet's sequence id follows the
///   command's and it was seen after it. A direction that loses sync drops the waiting command and
///   starts over at the next command.
public final class MySQLSession: ProtocolSession {
    private enum Phase {
        /// Nothing seen yet: a greeting starts the handshake, a command the command phase.
        case start
        case handshake
        case commands
        /// TLS, compression, a refused login, or a replication stream.
        case stopped
    }

    private struct PendingCommand {
        var command: MySQLCommand
        var isStatementUnknown: Bool
        /// The sequence id the response's first packet carries.
        var responseSequenceID: UInt8
        var start: StreamMark
        var response: MySQLResponse
        var responseStarted = false
        /// Bytes of the response were not captured across packet headers: it cannot be followed, and
        /// ends where the server's bytes last went by before the next command.
        var isResponseLost = false
        var lastResponseBytes: StreamMark?
    }

    /// Prepared statements remembered per connection before the oldest are forgotten.
    static let maxStatements = 4096

    public private(set) var resyncCount = 0
    private var requestDirection: Direction?
    private var phase = Phase.start
    private var framers = [MySQLPacketFramer(), MySQLPacketFramer()]
    private var greeting: MySQLServerGreeting?
    private var clientCapabilities: MySQLCapabilities?
    private var namespace: String?
    private var statements: [UInt32: String] = [:]
    private var pending: PendingCommand?
    private var sequence = 0

    /// A session for a connection where the traced process plays `role`; `.unknown` learns the command
    /// direction from the greeting or the first command.
    public init(role: ConnectionRole) {
        requestDirection = role.requestDirection
    }

    public func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64,
                        into records: inout [ProtocolRecord]) {
        guard phase != .stopped else { return }
        let mark = nextMark(timestamp)
        noteResponseBytes(direction: direction, at: mark)
        // Commands and responses start at chunk starts (request/response): a direction that lost sync
        // frames again from here; packets that do not fit are ignored until a command fits.
        if !framers[direction.index].isInSync { framers[direction.index].resync() }
        var index = 0
        while let packet = framers[direction.index].next(bytes, at: &index, mark: mark) {
            handle(packet, direction: direction, into: &records)
            if phase == .stopped { return }
        }
    }

    public func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        guard phase != .stopped else { return }
        let mark = nextMark(timestamp)
        noteResponseBytes(direction: direction, at: mark)
        switch framers[direction.index].skip(count, mark: mark) {
        case .packet(let packet): handle(packet, direction: direction, into: &records)
        case .lostSync:
            resyncCount += 1
            if direction == requestDirection {
                namespace = nil
                pending = nil
            } else if pending?.responseStarted == true {
                pending?.isResponseLost = true
                pending?.lastResponseBytes = mark
            } else {
                pending = nil
            }
        case nil: break
        }
    }

    public func close(timestamp: UInt64, into records: inout [ProtocolRecord]) {
        finishLostResponse(into: &records)
        pending = nil
    }

    /// Server bytes went by: the end of a response that cannot be followed moves on.
    private func noteResponseBytes(direction: Direction, at mark: StreamMark) {
        if direction != requestDirection, pending?.isResponseLost == true { pending?.lastResponseBytes = mark }
    }

    /// A response lost in uncaptured bytes ends with the server's last bytes before the next command:
    /// its exchange is recorded without the counts that were lost with it.
    private func finishLostResponse(into records: inout [ProtocolRecord]) {
        guard let waiting = pending, waiting.isResponseLost, let end = waiting.lastResponseBytes else { return }
        pending = nil
        records.append(record(waiting, end: end))
    }

    private func nextMark(_ timestamp: UInt64) -> StreamMark {
        sequence += 1
        return StreamMark(timestamp: timestamp, sequence: sequence)
    }

    private func handle(_ packet: MySQLPacketFramer.Packet, direction: Direction, into records: inout [ProtocolRecord]) {
        switch phase {
        case .start:
            start(with: packet, direction: direction, into: &records)
        case .handshake:
            direction == requestDirection ? receiveLogin(packet) : receiveLoginResult(packet)
        case .commands:
            if direction == requestDirection {
                receiveCommand(packet, into: &records)
            } else {
                receiveResponse(packet, into: &records)
            }
        case .stopped:
            break
        }
    }

    private func start(with packet: MySQLPacketFramer.Packet, direction: Direction, into records: inout [ProtocolRecord]) {
        guard packet.sequenceID == 0 else { return }
        if let greeting = MySQLServerGreeting(packet.payload), direction != requestDirection {
            self.greeting = greeting
            requestDirection = direction.opposite
            phase = .handshake
        } else if MySQLCommand(payload: packet.payload) != nil, requestDirection ?? direction == direction {
            requestDirection = direction
            phase = .commands
            receiveCommand(packet, into: &records)
        }
    }

    // MARK: Handshake

    private func receiveLogin(_ packet: MySQLPacketFramer.Packet) {
        guard packet.sequenceID == 1, let login = MySQLClientHandshake(packet.payload, length: packet.length) else {
            return
        }
        clientCapabilities = login.capabilities
        if login.isSSLRequest { return stop() }
        namespace = login.database
    }

    private func receiveLoginResult(_ packet: MySQLPacketFramer.Packet) {
        switch packet.first {
        case 0x00 where packet.length >= 7:
            let negotiated = (clientCapabilities ?? []).intersection(greeting?.capabilities ?? [])
            if negotiated.contains(.compress) { return stop() }
            phase = .commands
        case 0xFF:
            stop()
        default:
            break  // An auth switch request or more auth data: the exchange goes on.
        }
    }

    /// Stops parsing the connection's socket bytes.
    private func stop() {
        phase = .stopped
        pending = nil
        for index in framers.indices { framers[index].lose() }
    }

    // MARK: Commands

    private func receiveCommand(_ packet: MySQLPacketFramer.Packet, into records: inout [ProtocolRecord]) {
        guard packet.sequenceID == 0, var command = MySQLCommand(payload: packet.payload) else {
            // Not a command (LOCAL INFILE contents, auth data of COM_CHANGE_USER) or not a known one.
            if packet.sequenceID == 0 { pending = nil }
            return
        }
        finishLostResponse(into: &records)
        if pending?.response.isComplete == false { resyncCount += 1 }
        var isStatementUnknown = false
        if let id = command.statementID {
            command.sql = statements[id]
            isStatementUnknown = command.sql == nil
        }
        let physicalPackets = packet.length / MySQLPacketFramer.maxPhysicalLength + 1
        let deprecatesEOF = clientCapabilities.map { $0.intersection(greeting?.capabilities ?? $0).contains(.deprecateEOF) }
        let waiting = PendingCommand(command: command, isStatementUnknown: isStatementUnknown,
                                     responseSequenceID: UInt8(truncatingIfNeeded: physicalPackets),
                                     start: packet.start,
                                     response: MySQLResponse(code: command.code, deprecatesEOF: deprecatesEOF))
        pending = nil
        if let requestDirection, !framers[requestDirection.opposite.index].isIdle {
            // The server cannot be inside a response to an earlier command: its framing went wrong.
            framers[requestDirection.opposite.index].lose()
        }
        guard command.expectsResponse else {
            if command.code != .quit { records.append(record(waiting, end: packet.end)) }
            if command.code == .statementClose, let id = command.statementID { statements[id] = nil }
            return
        }
        pending = waiting
    }

    private func receiveResponse(_ packet: MySQLPacketFramer.Packet, into records: inout [ProtocolRecord]) {
        guard var waiting = pending, !waiting.isResponseLost, waiting.start.sequence < packet.start.sequence else {
            return
        }
        if !waiting.responseStarted {
            // Only the response's first packet, carrying the next sequence id, answers the command.
            guard packet.sequenceID == waiting.responseSequenceID else { return }
            waiting.responseStarted = true
        }
        waiting.response.receive(packet)
        guard waiting.response.isComplete else {
            pending = waiting
            return
        }
        pending = nil
        records.append(record(waiting, end: packet.end))
        if waiting.response.error == nil { applyEffects(of: waiting) }
    }

    /// What a successful command changes on the connection.
    private func applyEffects(of command: PendingCommand) {
        switch command.command.code {
        case .initDB: namespace = command.command.objectName
        case .query:
            if let sql = command.command.sql, let target = SQLStatement.useTarget(of: sql) { namespace = target }
        case .statementPrepare:
            guard let id = command.response.preparedStatementID, let sql = command.command.sql else { return }
            if statements.count >= Self.maxStatements { statements.removeAll() }
            statements[id] = sql
        case .resetConnection, .changeUser:
            statements.removeAll()
        default: break
        }
    }

    private func record(_ command: PendingCommand, end: StreamMark) -> ProtocolRecord {
        .mysql(MySQLExchange(command: command.command, isMariaDB: greeting?.isMariaDB ?? false, namespace: namespace,
                             error: command.response.error,
                             returnedRows: command.isResponseLost ? nil : command.response.returnedRows,
                             affectedRows: command.isResponseLost ? nil : command.response.affectedRows,
                             isStatementUnknown: command.isStatementUnknown,
                             requestDirection: requestDirection ?? .egress, start: command.start.timestamp,
                             end: end.timestamp))
    }
}

extension Direction {
    /// The direction's place in per-direction arrays.
    fileprivate var index: Int { Int(rawValue) }
}
