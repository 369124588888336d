/// Which way bytes moved, seen from the traced process.
public enum Direction: UInt8, Sendable, Hashable, CaseIterable {
    /// Bytes the traced process wrote or sent.
    case egress = 0
    /// Bytes the traced process read or received.
    case ingress = 1

    /// The other direction of the same connection.
    public var opposite: Direction { self == .egress ? .ingress : .egress }
}
