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

extension ProtocolDetector {
    /// HTTP/1.0 and HTTP/1.1: a request line or a status line.
    public static var http1: ProtocolDetector {
        ProtocolDetector(name: "HTTP/1", recognizes: HTTP1Detector.recognizes, makeSession: HTTP1Session.init(role:))
    }

    /// Redis (RESP2 and RESP3): commands, inline commands, or replies (see `RedisDetector`).
    public static var redis: ProtocolDetector {
        ProtocolDetector(name: "Redis", recognizes: RedisDetector.recognizes, makeSession: RedisSession.init(role:))
    }

    /// HTTP/2 (h2c, or h2 in TLS plaintext): the connection preface, or frames (see `HTTP2Detector`).
    public static var http2: ProtocolDetector {
        ProtocolDetector(name: "HTTP/2", recognizes: HTTP2Detector.recognizes, makeSession: HTTP2Session.init(role:))
    }

    /// MySQL and MariaDB: the server greeting, or a command packet with sequence id 0 (see
    /// `MySQLDetector`).
    public static var mysql: ProtocolDetector {
        ProtocolDetector(name: "MySQL", recognizes: MySQLDetector.recognizes, makeSession: MySQLSession.init(role:))
    }

    /// Every protocol Sonde parses, in the order they are tried. HTTP/1 refuses the HTTP/2 preface, and
    /// HTTP/2 frames never start like an HTTP/1, RESP or MySQL message, so the order only settles ties.
    public static var standard: [ProtocolDetector] { [.http1, .http2, .redis, .mysql] }
}
