/// An IP address and TCP port, in textual form as OpenTelemetry attributes want them.
///
/// IPv4-mapped IPv6 addresses are shown as plain IPv4.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address, e.g. `127.0.0.1` or `::1`.
    public var host: String
    /// The TCP port.
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
