/// The attribute namespaces that describe one end of a connection (`client`, `network.peer`,
/// `network.local`), with their keys spelled out: keys built by interpolation would cost an allocation
/// per span each (most are longer than a small string's 15 bytes).
enum EndpointNamespace {
    case client
    case networkPeer
    case networkLocal

    /// `<namespace>.address`.
    var addressKey: String {
        switch self {
        case .client: "client.address"
        case .networkPeer: "network.peer.address"
        case .networkLocal: "network.local.address"
        }
    }

    /// `<namespace>.port`.
    var portKey: String {
        switch self {
        case .client: "client.port"
        case .networkPeer: "network.peer.port"
        case .networkLocal: "network.local.port"
        }
    }
}
