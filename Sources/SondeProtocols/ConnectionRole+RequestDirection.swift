import SondeModel

extension ConnectionRole {
    /// Which way requests travel for a process playing this role: a server receives them (`.ingress`),
    /// a client sends them (`.egress`); nil when the role is unknown and the traffic has to tell.
    var requestDirection: Direction? {
        switch self {
        case .server: .ingress
        case .client: .egress
        case .unknown: nil
        }
    }
}
