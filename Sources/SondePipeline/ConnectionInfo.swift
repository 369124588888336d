import SondeModel

/// What a span builder knows about the connection an exchange travelled on.
public struct ConnectionInfo: Hashable, Sendable {
    public var id: ConnectionID
    /// Which end the traced process is, from the socket calls (`.unknown` when joined mid-stream).
    public var role: ConnectionRole
    /// The traced process's end, when known.
    public var local: SocketAddress?
    /// The peer's end, when known.
    public var remote: SocketAddress?
    /// `http`, or `https` once the bytes came through TLS uprobes.
    public var urlScheme: String

    public init(id: ConnectionID, role: ConnectionRole, local: SocketAddress?, remote: SocketAddress?,
                urlScheme: String = "http") {
        self.id = id
        self.role = role
        self.local = local
        self.remote = remote
        self.urlScheme = urlScheme
    }
}
