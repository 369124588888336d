/// Follows the packets of the response to one command until the response is complete: OK, ERR,
/// text and binary result sets (column count, column definitions, the EOF packet unless
/// CLIENT_DEPRECATE_EOF, rows, then EOF or an OK packet with the EOF header), multi-result sets, the
/// PREPARE response and the column list of `COM_FIELD_LIST`.
struct MySQLResponse {
    private enum State {
        /// The first packet of a (next) result.
        case first
        case columns(remaining: Int)
        /// After the column definitions: the EOF packet, unless the connection deprecated it.
        case columnsEnd
        case rows
        /// The parameter and column definitions after a PREPARE OK.
        case definitions(remaining: Int)
        case done
    }

    static let serverMoreResultsExist = 0x0008

    private let code: MySQLCommand.Code
    /// CLIENT_DEPRECATE_EOF as negotiated; nil on a connection joined mid-stream (an EOF packet is then
    /// told from an OK packet by its length: exactly 5 bytes).
    private let deprecatesEOF: Bool?
    private var state = State.first
    private(set) var error: MySQLExchange.ServerError?
    private(set) var returnedRows: Int?
    private(set) var affectedRows: Int?
    /// The statement id of a PREPARE OK.
    private(set) var preparedStatementID: UInt32?

    /// A query or an execute: answered by OK packets or result sets.
    private var isStatement: Bool { code == .query || code == .statementExecute }

    var isComplete: Bool {
        if case .done = state { true } else { false }
    }

    init(code: MySQLCommand.Code, deprecatesEOF: Bool?) {
        self.code = code
        self.deprecatesEOF = deprecatesEOF
        if code == .fieldList { state = .columns(remaining: Int.max) }
        if code == .statementFetch { state = .rows }
    }

    mutating func receive(_ packet: MySQLPacketFramer.Packet) {
        let first = packet.first
        if first == 0xFF, packet.length < MySQLPacketFramer.maxPhysicalLength {
            error = Self.serverError(packet.payload)
            state = .done
            return
        }
        switch state {
        case .first:
            receiveFirst(packet)
        case .columns(let remaining):
            if code == .fieldList, first == 0xFE, packet.length < 9 { return state = .done }
            state = remaining > 1 ? .columns(remaining: remaining - 1)
                : deprecatesEOF == true ? .rows : .columnsEnd
        case .columnsEnd:
            state = .rows
            if !(first == 0xFE && packet.length == 5) { countRow() }
        case .rows:
            if first == 0xFE, packet.length < MySQLPacketFramer.maxPhysicalLength {
                endResult(packet)
            } else {
                countRow()
            }
        case .definitions(let remaining):
            if deprecatesEOF != false, first == 0xFE, packet.length == 5 { return }
            state = remaining > 1 ? .definitions(remaining: remaining - 1) : .done
        case .done:
            break
        }
    }

    private mutating func receiveFirst(_ packet: MySQLPacketFramer.Packet) {
        var reader = MySQLPayloadReader(packet.payload, from: 1)
        switch packet.first {
        case 0x00 where code == .statementPrepare:
            guard let id = reader.integer(width: 4), let columns = reader.integer(width: 2),
                  let parameters = reader.integer(width: 2) else { return state = .done }
            preparedStatementID = UInt32(truncatingIfNeeded: id)
            let eofPackets = deprecatesEOF == false ? (columns > 0 ? 1 : 0) + (parameters > 0 ? 1 : 0) : 0
            let definitions = columns + parameters + eofPackets
            state = definitions > 0 ? .definitions(remaining: definitions) : .done
        case 0x00 where packet.length >= 7, 0xFE where packet.length < 9:
            endResult(packet)
        case 0xFB where code == .query:
            break  // LOCAL INFILE: the client sends the file, then the server answers OK or ERR.
        case _ where isStatement:
            var reader = MySQLPayloadReader(packet.payload)
            guard let count = reader.lengthEncodedInteger(), count > 0 else { return state = .done }
            returnedRows = returnedRows ?? 0
            state = .columns(remaining: count)
        default:
            state = .done
        }
    }

    private mutating func countRow() {
        returnedRows = (returnedRows ?? 0) + 1
    }

    /// An OK packet, an EOF packet, or an OK packet with the EOF header: the end of one result; more
    /// follow when the status flags say so.
    private mutating func endResult(_ packet: MySQLPacketFramer.Packet) {
        var reader = MySQLPayloadReader(packet.payload, from: 1)
        let status: Int?
        if packet.first == 0xFE, packet.length == 5 {
            status = reader.skip(2) ? reader.integer(width: 2) : nil
        } else {
            let affected = reader.lengthEncodedInteger()
            status = reader.lengthEncodedInteger() != nil ? reader.integer(width: 2) : nil
            if packet.first == 0x00, isStatement, let affected { affectedRows = (affectedRows ?? 0) + affected }
        }
        let hasMore = (status ?? 0) & Self.serverMoreResultsExist != 0
        state = hasMore && isStatement ? .first : .done
    }

    /// ERR: 0xFF, the error number, then `#` and the SQLSTATE (protocol 4.1), then the message.
    static func serverError(_ payload: [UInt8]) -> MySQLExchange.ServerError {
        var reader = MySQLPayloadReader(payload, from: 1)
        let code = reader.integer(width: 2) ?? 0
        var sqlState: String?
        var marker = reader
        if marker.byte() == UInt8(ascii: "#"), payload.count >= reader.index + 6 {
            sqlState = String(decoding: payload[(reader.index + 1)..<(reader.index + 6)], as: UTF8.self)
            _ = reader.skip(6)
        }
        return MySQLExchange.ServerError(code: code, sqlState: sqlState, message: reader.restAsString())
    }
}
