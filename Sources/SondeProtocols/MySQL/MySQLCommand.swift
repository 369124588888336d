/// A command a MySQL client sent (the first packet of a command phase exchange).
public struct MySQLCommand: Hashable, Sendable {
    /// The command byte (`COM_*`).
    public enum Code: UInt8, Hashable, Sendable {
        case quit = 0x01, initDB = 0x02, query = 0x03, fieldList = 0x04, refresh = 0x07, statistics = 0x09
        case processKill = 0x0C, debug = 0x0D, ping = 0x0E, changeUser = 0x11
        case statementPrepare = 0x16, statementExecute = 0x17, statementSendLongData = 0x18
        case statementClose = 0x19, statementReset = 0x1A, setOption = 0x1B, statementFetch = 0x1C
        case resetConnection = 0x1F

        /// The operation name spans use for commands that carry no SQL (`PING`, `INIT_DB`).
        public var operationName: String {
            switch self {
            case .quit: "QUIT"
            case .initDB: "INIT_DB"
            case .query: "QUERY"
            case .fieldList: "FIELD_LIST"
            case .refresh: "REFRESH"
            case .statistics: "STATISTICS"
            case .processKill: "PROCESS_KILL"
            case .debug: "DEBUG"
            case .ping: "PING"
            case .changeUser: "CHANGE_USER"
            case .statementPrepare: "PREPARE"
            case .statementExecute: "EXECUTE"
            case .statementSendLongData: "SEND_LONG_DATA"
            case .statementClose: "CLOSE"
            case .statementReset: "RESET"
            case .setOption: "SET_OPTION"
            case .statementFetch: "FETCH"
            case .resetConnection: "RESET_CONNECTION"
            }
        }
    }

    public var code: Code
    /// The SQL: the text of a query or prepare; for commands on a prepared statement, the text its
    /// PREPARE carried (nil when that PREPARE was not seen).
    public var sql: String?
    /// The prepared statement a `COM_STMT_*` command works on.
    public var statementID: UInt32?
    /// The schema of `COM_INIT_DB`, the table of `COM_FIELD_LIST`.
    public var objectName: String?

    public init(code: Code, sql: String? = nil, statementID: UInt32? = nil, objectName: String? = nil) {
        self.code = code
        self.sql = sql
        self.statementID = statementID
        self.objectName = objectName
    }

    /// Parses the captured part of a command packet's payload; nil for an unknown command byte.
    init?(payload: [UInt8]) {
        var reader = MySQLPayloadReader(payload)
        guard let byte = reader.byte(), let code = Code(rawValue: byte) else { return nil }
        self.init(code: code)
        switch code {
        case .query, .statementPrepare:
            sql = reader.restAsString()
        case .initDB:
            objectName = reader.restAsString()
        case .fieldList:
            objectName = reader.nulTerminatedString() ?? reader.restAsString()
        case .statementExecute, .statementSendLongData, .statementClose, .statementReset, .statementFetch:
            statementID = reader.integer(width: 4).map { UInt32(truncatingIfNeeded: $0) }
        default:
            break
        }
    }

    /// Whether the server answers this command at all.
    var expectsResponse: Bool {
        ![.quit, .statementSendLongData, .statementClose].contains(code)
    }
}
