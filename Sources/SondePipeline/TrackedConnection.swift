import SondeModel
import SondeProtocols

/// Everything the tracker keeps about one connection.
final class TrackedConnection {
    /// Where the connection is in finding out what it speaks.
    enum ProtocolState {
        /// No detector has recognised it yet; `chunks` and `bytes` of it were examined.
        case detecting(chunks: Int, bytes: Int)
        /// A protocol was recognised; its session parses the streams.
        case parsing(any ProtocolSession)
        /// Nothing recognised it within the budget; its bytes are ignored until it closes.
        case unrecognised
    }

    let id: ConnectionID
    var role: ConnectionRole
    var local: SocketAddress?
    var remote: SocketAddress?
    /// Carries TLS: only plaintext from the TLS library is parsed, socket bytes (ciphertext) are ignored.
    private(set) var isTLS = false
    var egress: StreamReassembler
    var ingress: StreamReassembler
    var protocolState = ProtocolState.detecting(chunks: 0, bytes: 0)
    /// The latest event timestamp seen on the connection (ns since the Unix epoch).
    var lastActivity: UInt64
    /// The process's resource, looked up when the first span is built.
    var resource: Resource?

    /// The next more recently active connection (see ``RecencyList``).
    var moreRecent: TrackedConnection?
    /// The next less recently active connection (see ``RecencyList``). Not a reference count: that one
    /// holds this connection through `moreRecent` while both are listed. Not `weak` either: a weakly
    /// referenced object counts every retain and release through a side table, which cost the tracker a
    /// tenth of its time.
    unowned(unsafe) var lessRecent: TrackedConnection?

    /// A connection seen opening: both streams start at offset 0.
    init(opened: ConnectionOpened) {
        id = opened.id
        role = opened.role
        local = opened.local
        remote = opened.remote
        egress = StreamReassembler(startOffset: 0)
        ingress = StreamReassembler(startOffset: 0)
        lastActivity = opened.timestamp
    }

    /// A connection first seen through its data (opened before the tracer started): each stream
    /// starts at the first chunk seen in it.
    init(joinedMidStream id: ConnectionID, at timestamp: UInt64) {
        self.id = id
        role = .unknown
        egress = StreamReassembler(startOffset: nil)
        ingress = StreamReassembler(startOffset: nil)
        lastActivity = timestamp
    }

    var info: ConnectionInfo {
        ConnectionInfo(id: id, role: role, local: local, remote: remote, isTLS: isTLS)
    }

    /// The first TLS plaintext arrived: from now on the streams are the plaintext ones, which start at
    /// offset 0 (possibly mid-message, when the TLS session began before the tracer). What the socket
    /// streams held (the handshake, ciphertext) is dropped.
    func switchToTLS() {
        isTLS = true
        egress = StreamReassembler(startOffset: 0)
        ingress = StreamReassembler(startOffset: 0)
        protocolState = .detecting(chunks: 0, bytes: 0)
    }

    var session: (any ProtocolSession)? {
        if case .parsing(let session) = protocolState { session } else { nil }
    }

    /// Passes a chunk to the reassembler of its direction.
    func accept(_ chunk: DataChunk, limits: StreamReassembler.Limits, into pieces: inout [StreamReassembler.Piece]) {
        switch chunk.direction {
        case .egress: egress.accept(chunk, limits: limits, into: &pieces)
        case .ingress: ingress.accept(chunk, limits: limits, into: &pieces)
        }
    }

    /// Delivers what waits in the reorder buffer of `direction`, gaps included.
    func flush(_ direction: Direction, into pieces: inout [StreamReassembler.Piece]) {
        switch direction {
        case .egress: egress.flush(into: &pieces)
        case .ingress: ingress.flush(into: &pieces)
        }
    }

    func oldestPendingTimestamp(_ direction: Direction) -> UInt64? {
        switch direction {
        case .egress: egress.oldestPendingTimestamp
        case .ingress: ingress.oldestPendingTimestamp
        }
    }

    var duplicateChunks: Int { egress.duplicateChunks + ingress.duplicateChunks }
}
