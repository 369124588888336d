import SondeModel
import SondeProtocols

/// Builds the span of one Redis exchange, following the OpenTelemetry database and Redis semantic
/// conventions.
///
/// The span is named after `db.operation.name` (the upper-case command, two-word container commands
/// joined: `CONFIG GET`); `db.namespace` (the database index) is never part of the name. The traced
/// process received the command: a SERVER span; it sent it: a CLIENT span. A message pushed to a
/// subscriber is a CONSUMER span where the traced process received it (the subscriber) and a PRODUCER
/// span where it sent it (redis-server), named `MESSAGE`, `PMESSAGE` or `SMESSAGE`. Error replies set
/// ERROR status, `db.response.status_code` and `error.type` to the error prefix (`WRONGTYPE`).
public enum RedisSpanBuilder {
    /// The most attributes a span gets; reserved up front, so that the list is allocated once.
    static let maxAttributeCount = 15

    public static func span(for exchange: RedisExchange, connection: ConnectionInfo, resource: Resource,
                            options: SpanOptions) -> Span {
        let isServerSide = exchange.requestDirection == .ingress
        let kind: Span.Kind = switch exchange.kind {
        case .command: isServerSide ? .server : .client
        case .pushedMessage: isServerSide ? .producer : .consumer
        }
        var attributes: [Attribute] = []
        attributes.reserveCapacity(maxAttributeCount)
        attributes.append(Attribute("db.system.name", "redis"))
        attributes.append(Attribute("db.operation.name", exchange.command.name))
        attributes.append("db.namespace", exchange.database.map(String.init))
        attributes.append(Attribute("db.query.text",
                                    exchange.command.queryText(includingValues: options.includesQueryValues)))
        let errorCode = exchange.errorCode
        attributes.append("db.response.status_code", errorCode)
        attributes.append("error.type", errorCode)
        attributes.append(databaseConnection: connection, isServerSide: isServerSide)
        return Span(traceID: .random(), spanID: .random(), name: exchange.command.name, kind: kind,
                    startTime: exchange.start, endTime: exchange.end, attributes: attributes,
                    status: exchange.error == nil ? .unset : .error, statusMessage: exchange.error,
                    resource: resource)
    }
}
