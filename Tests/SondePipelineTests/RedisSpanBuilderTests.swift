import SondeModel
import SondePipeline
import SondeProtocols
import Testing

private let resource = Resource(attributes: [Attribute("service.name", "cache")])
private let serverConnection = ConnectionInfo(
    id: ConnectionID(pid: 10, fd: 5, generation: 1), role: .server,
    local: SocketAddress(host: "10.0.0.1", port: 6379), remote: SocketAddress(host: "10.0.0.2", port: 51234))
private let clientConnection = ConnectionInfo(
    id: ConnectionID(pid: 11, fd: 6, generation: 1), role: .client,
    local: SocketAddress(host: "10.0.0.2", port: 51234), remote: SocketAddress(host: "10.0.0.1", port: 6379))

private func exchange(_ words: String..., kind: RedisExchange.Kind = .command, error: String? = nil,
                      database: Int? = 3, direction: Direction = .egress) -> RedisExchange {
    let arguments = words.dropFirst().map { RESPValue(kind: .bulkString, bytes: Array($0.utf8), length: $0.utf8.count) }
    return RedisExchange(kind: kind, command: RedisCommand(name: words[0], arguments: arguments,
                                                           argumentCount: arguments.count),
                         error: error, database: database, requestDirection: direction, start: 1_000, end: 4_000)
}

private func attributes(_ span: Span) -> [String: String] {
    Dictionary(span.attributes.map { ($0.key, "\($0.value)") }, uniquingKeysWith: { first, _ in first })
}

@Suite struct RedisSpanBuilderTests {
    @Test func clientSpanFollowsTheDatabaseConventions() {
        let span = RedisSpanBuilder.span(for: exchange("SET", "greeting", "hello"), connection: clientConnection,
                                         resource: resource, options: SpanOptions())
        #expect(span.name == "SET")
        #expect(span.kind == .client)
        #expect(span.status == .unset)
        #expect(span.startTime == 1_000 && span.endTime == 4_000)
        #expect(span.attributes.map(\.key) == [
            "db.system.name", "db.operation.name", "db.namespace", "db.query.text", "network.transport",
            "server.address", "server.port", "network.peer.address", "network.peer.port", "network.local.address",
            "network.local.port",
        ])
        let values = attributes(span)
        #expect(values["db.system.name"] == "redis")
        #expect(values["db.namespace"] == "3")
        #expect(values["db.query.text"] == "SET greeting ?")
        #expect(values["server.address"] == "10.0.0.1" && values["server.port"] == "6379")
    }

    @Test func serverSpanNamesItsOwnEndAsTheServer() {
        let span = RedisSpanBuilder.span(for: exchange("CONFIG GET", "maxmemory", database: nil, direction: .ingress),
                                         connection: serverConnection, resource: resource, options: SpanOptions())
        #expect(span.name == "CONFIG GET")
        #expect(span.kind == .server)
        let values = attributes(span)
        #expect(values["db.namespace"] == nil)
        #expect(values["server.port"] == "6379" && values["client.address"] == "10.0.0.2")
    }

    @Test func errorRepliesAreErrors() {
        let message = "WRONGTYPE Operation against a key holding the wrong kind of value"
        let span = RedisSpanBuilder.span(for: exchange("LPUSH", "greeting", "x", error: message),
                                         connection: clientConnection, resource: resource, options: SpanOptions())
        #expect(span.status == .error)
        #expect(span.statusMessage == message)
        #expect(attributes(span)["db.response.status_code"] == "WRONGTYPE")
        #expect(attributes(span)["error.type"] == "WRONGTYPE")
    }

    @Test func pushedMessagesAreConsumedBySubscribersAndProducedByTheServer() {
        let push = exchange("MESSAGE", "news", "extra", kind: .pushedMessage)
        let consumed = RedisSpanBuilder.span(for: push, connection: clientConnection, resource: resource, options: SpanOptions())
        #expect(consumed.kind == .consumer)
        #expect(consumed.name == "MESSAGE")
        #expect(attributes(consumed)["db.query.text"] == "MESSAGE news ?")
        var served = push
        served.requestDirection = .ingress
        #expect(RedisSpanBuilder.span(for: served, connection: serverConnection, resource: resource,
                                      options: SpanOptions()).kind == .producer)
    }

    @Test func valuesOnlyWhenAskedFor() {
        let span = RedisSpanBuilder.span(for: exchange("SET", "greeting", "hello"), connection: clientConnection,
                                         resource: resource, options: SpanOptions(includesQueryValues: true))
        #expect(attributes(span)["db.query.text"] == "SET greeting hello")
    }
}
