/// One observation of a connection, from the kernel or from a capture file.
///
/// Both sources produce the same events, so everything downstream is tested without root and
/// replayed from real captures.
public enum RawEvent: Sendable {
    /// A connection was opened (connect/accept) or first seen.
    case opened(ConnectionOpened)
    /// Bytes moved on a connection.
    case data(DataChunk)
    /// The connection was closed.
    case closed(ConnectionClosed)
    /// A process executed a new program or exited (live tracing only).
    case process(ProcessEvent)
}

/// A connection came into view.
public struct ConnectionOpened: Sendable {
    public var id: ConnectionID
    public var role: ConnectionRole
    public var local: SocketAddress?
    public var remote: SocketAddress?
    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64
    /// The process's command name as the kernel knows it (live tracing only).
    public var processName: String?
    /// When the process started, in nanoseconds after boot as the kernel counts it (live tracing only):
    /// known even when the process exits before /proc is read.
    public var processStartAfterBoot: UInt64?

    public init(id: ConnectionID, role: ConnectionRole, local: SocketAddress?, remote: SocketAddress?,
                timestamp: UInt64, processName: String? = nil, processStartAfterBoot: UInt64? = nil) {
        self.id = id
        self.role = role
        self.local = local
        self.remote = remote
        self.timestamp = timestamp
        self.processName = processName
        self.processStartAfterBoot = processStartAfterBoot
    }
}

/// Bytes one call moved on a connection, possibly truncated to the capture size.
public struct DataChunk: Sendable {
    /// Where the bytes were captured.
    public enum Source: Sendable {
        /// A socket call: what went over the wire (ciphertext on a TLS connection).
        case socket
        /// Inside the TLS library (SSL_read/SSL_write): the plaintext of a TLS connection. Its offsets
        /// count plaintext bytes.
        case tlsLibrary
    }

    public var id: ConnectionID
    /// Thread that made the call.
    public var tid: Int32
    public var direction: Direction
    /// Position of the first byte in this direction's stream. A jump means bytes were lost.
    public var offset: UInt64
    /// The real number of bytes the call moved; `payload` may hold fewer (truncated capture).
    public var size: Int
    /// The captured bytes: the first `payload.count` of the `size` bytes moved.
    public var payload: [UInt8]
    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64
    public var source: Source

    public init(id: ConnectionID, tid: Int32, direction: Direction, offset: UInt64, size: Int,
                payload: [UInt8], timestamp: UInt64, source: Source = .socket) {
        self.id = id
        self.tid = tid
        self.direction = direction
        self.offset = offset
        self.size = size
        self.payload = payload
        self.timestamp = timestamp
        self.source = source
    }

    /// Bytes moved but not captured.
    public var truncatedCount: Int { size - payload.count }
}

/// A connection went away.
public struct ConnectionClosed: Sendable {
    public var id: ConnectionID
    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64

    public init(id: ConnectionID, timestamp: UInt64) {
        self.id = id
        self.timestamp = timestamp
    }
}

/// A process started a new program or went away.
public struct ProcessEvent: Sendable {
    public enum Kind: Sendable {
        /// `execve`: same pid, new program (its resource changes).
        case exec
        /// The last thread exited: its connections are closed.
        case exit
        /// A new process forked by a traced one (same program, e.g. a server's worker).
        case fork
    }

    public var pid: Int32
    public var kind: Kind
    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64

    public init(pid: Int32, kind: Kind, timestamp: UInt64) {
        self.pid = pid
        self.kind = kind
        self.timestamp = timestamp
    }
}
