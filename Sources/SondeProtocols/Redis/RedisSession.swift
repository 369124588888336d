import SondeModel

/// The Redis state of one connection: decodes RESP2/RESP3 both ways and pairs each command with its
/// reply strictly in order, so pipelines of any depth pair right.
///
/// - Pub/sub: confirmations of `(P|S)(UN)SUBSCRIBE` complete their command (one per channel or
///   pattern); messages pushed to a subscriber become their own records and never take a command's
///   place. In RESP2 they are recognised as arrays (`message`, `pmessage`, `smessage`, `subscribe`...)
///   while the connection has subscriptions; in RESP3 every push (`>`) is out of band.
/// - Commands that get no reply make no record: those sent under `CLIENT REPLY OFF`, the one after
///   `CLIENT REPLY SKIP` (and those two themselves), and `REPLCONF ACK`.
/// - `SYNC`, `PSYNC` and `MONITOR` end request/reply traffic: their record ends when the reply begins,
///   and the connection is not decoded further (replication stream, monitor feed).
/// - The database index starts at 0 on a connection seen opening and follows successful `SELECT` and
///   `RESET`; it is unknown on a connection joined mid-stream until a `SELECT`, and after a gap in the
///   commands.
///
/// Gaps never invent a pair: a direction that loses sync drops the commands waiting for replies, and
/// a reply only ever answers a command whose first byte was seen before the reply's first byte.
public final class RedisSession: ProtocolSession {
    /// A command waiting for its reply.
    private struct PendingCommand {
        var command: RedisCommand
        var start: StreamMark
        /// Subscription commands: the confirmations seen, and when the last one ended.
        var confirmations = 0
        var lastConfirmation: StreamMark?
    }

    /// What the server does with the replies of the next commands (`CLIENT REPLY`).
    private enum ReplyMode {
        case on, off, skipNext
    }

    /// Commands kept waiting for their replies before the command side is treated as lost.
    static let maxPendingCommands = 10_000

    public private(set) var resyncCount = 0
    /// Which way commands travel; nil until the traffic says so (role `.unknown`).
    private var requestDirection: Direction?
    /// Indexed by `Direction.rawValue`.
    private var decoders: [RESPDecoder]
    private var pending: [PendingCommand] = []
    private var replyMode = ReplyMode.on
    private var database: Int?
    private var protocolVersion = 2
    /// Channels, patterns and shard channels subscribed to, by their subscribe confirmation kind.
    private var subscriptions: [String: Set<[UInt8]>] = [:]
    private var isStopped = false
    private var sequence = 0

    /// A session for a connection where the traced process plays `role`; `.unknown` infers the command
    /// direction from the traffic: commands (arrays of bulk strings naming a known command) go one way,
    /// replies of other types the other.
    public init(role: ConnectionRole) {
        requestDirection = role.requestDirection
        database = role == .unknown ? nil : 0
        decoders = Direction.allCases.map { _ in RESPDecoder(acceptsInline: true) }
        if let requestDirection { adopt(requestDirection: requestDirection) }
    }

    public func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64,
                        into records: inout [ProtocolRecord]) {
        guard !isStopped else { return }
        let mark = nextMark(timestamp)
        // The waiting commands are read in place (`pending[0]`): `pending.first` copied one, a retain of
        // each of its names and arguments, on every reply.
        if direction != requestDirection, !pending.isEmpty, decoders[direction.index].isIdle,
           RedisCommandTable.endsRequestReply(pending[0].command.name) {
            return endRequestReply(pending[0], at: mark, into: &records)
        }
        var index = 0
        while let event = decoders[direction.index].next(bytes, at: &index, mark: mark) {
            handle(event, direction: direction, into: &records)
            if isStopped { return }
        }
    }

    public func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        guard !isStopped, let event = decoders[direction.index].skip(count, at: nextMark(timestamp)) else { return }
        handle(event, direction: direction, into: &records)
    }

    public func close(timestamp: UInt64, into records: inout [ProtocolRecord]) {
        pending.removeAll()
    }

    private func nextMark(_ timestamp: UInt64) -> StreamMark {
        sequence += 1
        return StreamMark(timestamp: timestamp, sequence: sequence)
    }

    private func adopt(requestDirection: Direction) {
        self.requestDirection = requestDirection
        decoders[requestDirection.opposite.index].acceptsInline = false
    }

    private func handle(_ event: RESPDecoder.Event, direction: Direction, into records: inout [ProtocolRecord]) {
        switch event {
        case .value(let value, let start, let end):
            if requestDirection == nil { inferRequestDirection(from: value, direction: direction) }
            guard let requestDirection else { return }
            if direction == requestDirection {
                receiveCommand(value, start: start)
            } else {
                receiveReply(value, start: start, end: end, into: &records)
            }
        case .lostSync:
            resyncCount += 1
            pending.removeAll()
            if direction == requestDirection {
                replyMode = .on
                database = nil
            }
        }
    }

    /// A command naming a known command shows the command side; a value no command can be, the reply
    /// side. Anything else leaves the question open.
    private func inferRequestDirection(from value: RESPValue, direction: Direction) {
        if let command = RedisCommand(value),
           RedisCommandTable.wellKnown.contains(String(command.name.prefix { $0 != " " })) {
            adopt(requestDirection: direction)
        } else if value.kind != .array {
            adopt(requestDirection: direction.opposite)
        }
    }

    // MARK: Commands

    private func receiveCommand(_ value: RESPValue, start: StreamMark) {
        guard let command = RedisCommand(value) else { return }
        let mode = replyMode
        if mode == .skipNext { replyMode = .on }
        if command.name == "CLIENT REPLY" {
            switch command.upperCasedArgument(0) {
            case "ON":
                replyMode = .on
                return enqueue(command, start: start)
            case "OFF":
                replyMode = .off
                return
            case "SKIP":
                if mode != .off { replyMode = .skipNext }
                return
            default:
                break
            }
        }
        guard mode == .on, !(command.name == "REPLCONF" && command.upperCasedArgument(0) == "ACK") else { return }
        enqueue(command, start: start)
    }

    private func enqueue(_ command: RedisCommand, start: StreamMark) {
        guard pending.count < Self.maxPendingCommands else {
            resyncCount += 1
            pending.removeAll()
            return
        }
        pending.append(PendingCommand(command: command, start: start))
    }

    // MARK: Replies

    private func receiveReply(_ value: RESPValue, start: StreamMark, end: StreamMark,
                              into records: inout [ProtocolRecord]) {
        if let push = pushKind(of: value) {
            switch push {
            case "message", "smessage", "pmessage":
                recordPushedMessage(value, kind: push, start: start, end: end, into: &records)
            case _ where RedisCommandTable.subscriptions.contains(push.uppercased()):
                confirmSubscription(value, kind: push, start: start, end: end, into: &records)
            default:
                break  // Other out-of-band data (client-side caching invalidations, ...).
            }
            return
        }
        if !pending.isEmpty, pending[0].confirmations > 0 {
            // A subscription command confirmed fewer times than expected is over once a reply follows.
            let head = pending.removeFirst()
            records.append(record(head, error: nil, end: head.lastConfirmation ?? end))
        }
        // A reply answers the oldest waiting command, and only one sent before the reply began.
        guard !pending.isEmpty, pending[0].start.sequence < start.sequence else { return }
        let head = pending.removeFirst()
        let error = value.isError ? value.text : nil
        records.append(record(head, error: error, end: end))
        if error == nil { applyEffects(of: head.command) }
    }

    /// The kind (first element, lower case) of a push: every RESP3 push, and in RESP2 the arrays of the
    /// pub/sub kinds while subscriptions exist or are being made.
    private func pushKind(of value: RESPValue) -> String? {
        guard value.kind == .push || value.kind == .array, let first = value.elements.first,
              first.kind == .bulkString || first.kind == .simpleString else { return nil }
        let kind = first.text.lowercased()
        if value.kind == .push { return kind }
        let isSubscribing = subscriptions.values.contains { !$0.isEmpty }
            || pending.first.map { RedisCommandTable.subscriptions.contains($0.command.name) } == true
        let isPubSubKind = ["message", "smessage", "pmessage"].contains(kind)
            || RedisCommandTable.subscriptions.contains(kind.uppercased())
        guard protocolVersion == 2, isSubscribing, isPubSubKind, (3...4).contains(value.length) else { return nil }
        return kind
    }

    private func recordPushedMessage(_ value: RESPValue, kind: String, start: StreamMark, end: StreamMark,
                                     into records: inout [ProtocolRecord]) {
        guard let requestDirection else { return }
        let command = RedisCommand(name: kind.uppercased(), arguments: Array(value.elements.dropFirst()),
                                   argumentCount: value.length - 1)
        records.append(.redis(RedisExchange(kind: .pushedMessage, command: command, error: nil, database: database,
                                            requestDirection: requestDirection, start: start.timestamp,
                                            end: end.timestamp)))
    }

    /// A (un)subscribe confirmation: counts towards the waiting command of that kind, which completes
    /// with its last expected confirmation (one per argument; for an argument-less unsubscribe, one per
    /// current subscription of the kind, at least one).
    private func confirmSubscription(_ value: RESPValue, kind: String, start: StreamMark, end: StreamMark,
                                     into records: inout [ProtocolRecord]) {
        let family = kind.hasPrefix("un") ? String(kind.dropFirst(2))
            : kind.hasPrefix("pun") || kind.hasPrefix("sun") ? String(kind.prefix(1)) + kind.dropFirst(3) : kind
        let current = subscriptions[family, default: []].count
        if value.elements.count > 1 {
            let name = value.elements[1].bytes
            if family == kind { subscriptions[family, default: []].insert(name) } else { subscriptions[family]?.remove(name) }
        }
        guard let head = pending.first, head.command.name == kind.uppercased(),
              head.start.sequence < start.sequence else { return }
        pending[0].confirmations += 1
        pending[0].lastConfirmation = end
        let expected = head.command.argumentCount > 0 ? head.command.argumentCount : max(1, current)
        guard pending[0].confirmations >= expected else { return }
        pending.removeFirst()
        records.append(record(head, error: nil, end: end))
    }

    /// What a successful command changes on the connection.
    private func applyEffects(of command: RedisCommand) {
        switch command.name {
        case "SELECT": database = command.arguments.first.flatMap { Int($0.text) }
        case "HELLO": protocolVersion = command.arguments.first.flatMap { Int($0.text) } ?? protocolVersion
        case "RESET":
            database = 0
            protocolVersion = 2
            subscriptions.removeAll()
            replyMode = .on
        default: break
        }
    }

    /// `SYNC`, `PSYNC` or `MONITOR` is answered: record it and stop decoding the connection.
    private func endRequestReply(_ head: PendingCommand, at mark: StreamMark, into records: inout [ProtocolRecord]) {
        records.append(record(head, error: nil, end: mark))
        pending.removeAll()
        isStopped = true
        for index in decoders.indices { decoders[index].stop() }
    }

    private func record(_ pending: PendingCommand, error: String?, end: StreamMark) -> ProtocolRecord {
        .redis(RedisExchange(kind: .command, command: pending.command, error: error, database: database,
                             requestDirection: requestDirection ?? .egress, start: pending.start.timestamp,
                             end: end.timestamp))
    }
}

extension Direction {
    /// The direction's place in per-direction arrays.
    fileprivate var index: Int { Int(rawValue) }
}
