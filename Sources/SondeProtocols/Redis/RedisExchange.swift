import SondeModel

/// A Redis command and its reply, or a message the server pushed to a subscriber.
public struct RedisExchange: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A command and the reply that answered it (for subscriptions, the last confirmation).
        case command
        /// A pub/sub message pushed to a subscriber; `command` is `MESSAGE channel payload`,
        /// `PMESSAGE pattern channel payload` or `SMESSAGE channel payload`.
        case pushedMessage
    }

    public var kind: Kind
    public var command: RedisCommand
    /// The error the server answered with (`WRONGTYPE Operation against ...`), if it did.
    public var error: String?
    /// The database index selected on the connection; nil when it is not known (joined mid-stream).
    public var database: Int?
    /// Which way commands travel on the connection: `.egress` means the traced process is the client.
    /// Pushed messages travel the other way.
    public var requestDirection: Direction
    /// When the command's (or pushed message's) first byte was seen (ns since the Unix epoch).
    public var start: UInt64
    /// When the reply's (or pushed message's) last byte was seen (ns since the Unix epoch).
    public var end: UInt64

    public init(kind: Kind, command: RedisCommand, error: String?, database: Int?, requestDirection: Direction,
                start: UInt64, end: UInt64) {
        self.kind = kind
        self.command = command
        self.error = error
        self.database = database
        self.requestDirection = requestDirection
        self.start = start
        self.end = end
    }

    /// The error prefix, `db.response.status_code`: the first word of the error (`ERR`, `WRONGTYPE`).
    public var errorCode: String? {
        error.map { String($0.prefix { $0 != " " }.prefix(64)) }
    }
}
