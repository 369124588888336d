/// Identifies one TCP connection of one process for its whole life.
///
/// File descriptors are reused after `close`; the generation, assigned by the kernel side each time a
/// descriptor is first seen as a socket, keeps two connections on the same descriptor apart. TLS plaintext
/// whose socket was never learned has the descriptor ``unknownDescriptor`` and a generation naming its TLS
/// session instead.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// Process id (the kernel's tgid).
    public var pid: Int32
    /// File descriptor within that process.
    public var fd: Int32
    /// Distinguishes successive connections on the same descriptor.
    public var generation: UInt32

    public init(pid: Int32, fd: Int32, generation: UInt32) {
        self.pid = pid
        self.fd = fd
        self.generation = generation
    }

    /// The descriptor of TLS plaintext whose socket is not known.
    public static let unknownDescriptor: Int32 = -1

    /// Whether ``fd`` is a real descriptor (reused after close), not ``unknownDescriptor``.
    public var hasDescriptor: Bool { fd != Self.unknownDescriptor }

    public var description: String { "\(pid):\(fd)#\(generation)" }
}
