/// Which end of a connection the traced process is.
public enum ConnectionRole: UInt8, Sendable, Hashable {
    /// Not known from the socket calls (the connection predates the tracer); inferred from content.
    case unknown = 0
    /// The process called `connect`.
    case client = 1
    /// The process got the connection from `accept`.
    case server = 2
}
