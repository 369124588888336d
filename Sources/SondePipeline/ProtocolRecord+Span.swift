import SondeModel
import SondeProtocols

extension ProtocolRecord {
    /// The span of this record, built by the builder of its protocol.
    func span(connection: ConnectionInfo, resource: Resource) -> Span {
        switch self {
        case .http(let exchange): HTTPSpanBuilder.span(for: exchange, connection: connection, resource: resource)
        }
    }
}
