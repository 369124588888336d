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
    /// The connection carries TLS: its exchanges were parsed from plaintext captured in the TLS library.
    public var isTLS: Bool

    public init(id: ConnectionID, role: ConnectionRole, local: SocketAddress?, remote: SocketAddress?,
                isTLS: Bool = false) {
        self.id = id
        self.role = role
        self.local = local
        self.remote = remote
        self.isTLS = isTLS
    }

    /// `https` on TLS connections, `http` otherwise.
    public var urlScheme: String { isTLS ? "https" : "http" }
}
