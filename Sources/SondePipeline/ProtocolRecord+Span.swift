import SondeModel
import SondeProtocols

extension ProtocolRecord {
    /// The span of this record, built by the builder of its protocol.
    func span(connection: ConnectionInfo, resource: Resource, options: SpanOptions) -> Span {
        switch self {
        case .http(let exchange): HTTPSpanBuilder.span(for: exchange, connection: connection, resource: resource)
        case .redis(let exchange):
            RedisSpanBuilder.span(for: exchange, connection: connection, resource: resource, options: options)
        case .http2(let exchange) where GRPCSpanBuilder.isGRPC(exchange):
            GRPCSpanBuilder.span(for: exchange, connection: connection, resource: resource)
        case .http2(let exchange):
            HTTPSpanBuilder.span(for: HTTPMessages(exchange), connection: connection, resource: resource)
        case .mysql(let exchange):
            MySQLSpanBuilder.span(for: exchange, connection: connection, resource: resource, options: options)
        }
    }
}
