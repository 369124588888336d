import SondeModel

/// One MySQL command and the response that answered it (commands the server does not answer,
/// `COM_STMT_CLOSE` and `COM_STMT_SEND_LONG_DATA`, end when they were sent).
public struct MySQLExchange: Hashable, Sendable {
    /// An ERR packet.
    public struct ServerError: Hashable, Sendable {
        /// The error number (`1146`).
        public var code: Int
        /// The SQLSTATE (`42S02`), when the server sent one.
        public var sqlState: String?
        public var message: String

        public init(code: Int, sqlState: String?, message: String) {
            self.code = code
            self.sqlState = sqlState
            self.message = message
        }
    }

    public var command: MySQLCommand
    /// The server is MariaDB (it said so in its greeting); false also when the greeting was not seen.
    public var isMariaDB: Bool
    /// The default schema of the connection when the command ran; nil when not known.
    public var namespace: String?
    public var error: ServerError?
    /// Rows of the result sets of a query or execute (summed over multi-result sets); nil without one.
    public var returnedRows: Int?
    /// Rows the OK packets reported as affected (summed); nil when no OK packet answered.
    public var affectedRows: Int?
    /// An `EXECUTE`, `CLOSE`, `RESET` or `SEND_LONG_DATA` whose statement's PREPARE was not seen.
    public var isStatementUnknown: Bool
    /// Which way commands travel on the connection: `.egress` means the traced process is the client.
    public var requestDirection: Direction
    /// When the command's first byte was seen (ns since the Unix epoch).
    public var start: UInt64
    /// When the response's last byte was seen (ns since the Unix epoch).
    public var end: UInt64

    public init(command: MySQLCommand, isMariaDB: Bool, namespace: String?, error: ServerError?, returnedRows: Int?,
                affectedRows: Int?, isStatementUnknown: Bool, requestDirection: Direction, start: UInt64, end: UInt64) {
        self.command = command
        self.isMariaDB = isMariaDB
        self.namespace = namespace
        self.error = error
        self.returnedRows = returnedRows
        self.affectedRows = affectedRows
        self.isStatementUnknown = isStatementUnknown
        self.requestDirection = requestDirection
        self.start = start
        self.end = end
    }
}
