import SondeProtocols
import SondeModel

/// Recognises one protocol from the first bytes of a connection and starts its session.
///
/// The tracker asks its detectors in order; the first that recognises a chunk wins. Adding a protocol
/// (HTTP/2, Redis, MySQL) means adding a detector to the table, not changing the tracker.
public struct ProtocolDetector {
    /// The protocol's name, for logs and diagnostics.
    public var name: String
    /// Whether bytes at the start of a chunk (either direction) begin a message of this protocol.
    public var recognizes: (ArraySlice<UInt8>) -> Bool
    /// A fresh session for a connection of the given role.
    public var makeSession: (ConnectionRole) -> any ProtocolSession

    public init(name: String, recognizes: @escaping (ArraySlice<UInt8>) -> Bool,
                makeSession: @escaping (ConnectionRole) -> any ProtocolSession) {
        self.name = name
        self.recognizes = recognizes
        self.makeSession = makeSession
    }
}
