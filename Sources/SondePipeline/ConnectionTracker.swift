import SondeModel
import SondeProtocols

/// Turns the raw events of many connections into spans.
///
/// Per connection it puts both byte streams back in order, turns lost and uncaptured bytes into
/// `skip` calls, finds out which protocol the connection speaks, feeds a ``ProtocolSession`` and
/// builds a span from every exchange the session completes. A connection whose TLS plaintext arrives
/// (``DataChunk/Source/tlsLibrary``) is parsed from that plaintext only; its socket bytes are ciphertext. It is pure (times come with the events)
/// and meant to be used from one thread. Bad bytes on one connection never affect another.
public final class ConnectionTracker {
    /// Limits and timeouts.
    public struct Configuration {
        /// Connections with no event for this long are forgotten by ``ConnectionTracker/expire(now:)``.
        public var idleTimeout: Duration
        /// At most this many connections are tracked; beyond it the least recently active is forgotten.
        public var maxConnections: Int
        /// A stream holds at most this many chunks ahead of a missing range before declaring it lost.
        public var reorderChunkLimit: Int
        /// A stream holds at most this many captured bytes ahead of a missing range.
        public var reorderByteLimit: Int
        /// A chunk waits at most this long for a missing range before ``ConnectionTracker/expire(now:)``
        /// declares the range lost.
        public var reorderTimeout: Duration
        /// Protocol detection gives up after this many chunks of a connection...
        public var detectionChunkBudget: Int
        /// ...or this many captured bytes, whichever comes first.
        public var detectionByteBudget: Int
        /// The detectors, asked in order.
        public var detectors: [ProtocolDetector]
        /// What the spans carry.
        public var spanOptions: SpanOptions

        public init(idleTimeout: Duration = .seconds(300), maxConnections: Int = 10_000,
                    reorderChunkLimit: Int = 32, reorderByteLimit: Int = 256 * 1024,
                    reorderTimeout: Duration = .milliseconds(500),
                    detectionChunkBudget: Int = 8, detectionByteBudget: Int = 16 * 1024,
                    detectors: [ProtocolDetector] = ProtocolDetector.standard,
                    spanOptions: SpanOptions = SpanOptions()) {
            self.idleTimeout = idleTimeout
            self.maxConnections = maxConnections
            self.reorderChunkLimit = reorderChunkLimit
            self.reorderByteLimit = reorderByteLimit
            self.reorderTimeout = reorderTimeout
            self.detectionChunkBudget = detectionChunkBudget
            self.detectionByteBudget = detectionByteBudget
            self.detectors = detectors
            self.spanOptions = spanOptions
        }
    }

    private let configuration: Configuration
    private let catalog: any ProcessCatalog
    private let reorderLimits: StreamReassembler.Limits
    private let idleTimeout: UInt64
    private let reorderTimeout: UInt64

    private var connections: [ConnectionID: TrackedConnection] = [:]
    /// The newest generation tracked for each process and descriptor.
    private var generations: [ProcessDescriptor: UInt32] = [:]
    /// The connections tracked for each process.
    private var connectionsByProcess: [Int32: Set<ConnectionID>] = [:]
    private var recency = RecencyList()
    private var counters = TrackerStatistics()
    /// Resyncs and duplicates of connections already forgotten.
    private var retiredResyncs = 0
    private var retiredDuplicates = 0
    /// What the reassemblers delivered for the session, kept between events for its capacity: a fresh
    /// array per event would be an allocation per event.
    private var pieces: [StreamReassembler.Piece] = []
    /// What the session completed, kept between events for its capacity.
    private var records: [ProtocolRecord] = []

    public init(configuration: Configuration, catalog: any ProcessCatalog) {
        self.configuration = configuration
        self.catalog = catalog
        reorderLimits = .init(chunks: configuration.reorderChunkLimit, bytes: configuration.reorderByteLimit)
        idleTimeout = configuration.idleTimeout.nanoseconds
        reorderTimeout = configuration.reorderTimeout.nanoseconds
    }

    deinit {
        recency.removeAll()
    }

    /// The counters so far.
    public var statistics: TrackerStatistics {
        var statistics = counters
        statistics.activeConnections = connections.count
        statistics.resyncs = retiredResyncs
        statistics.duplicateChunks = retiredDuplicates
        for connection in connections.values {
            statistics.resyncs += connection.session?.resyncCount ?? 0
            statistics.duplicateChunks += connection.duplicateChunks
        }
        return statistics
    }

    /// Takes one event; returns the spans of the exchanges it completed.
    public func handle(_ event: RawEvent) -> [Span] {
        var spans: [Span] = []
        handle(event, into: &spans)
        return spans
    }

    /// Takes one event; appends the spans of the exchanges it completed to `spans`, which saves the
    /// array per event of ``handle(_:)`` when a batch of events is collected.
    public func handle(_ event: RawEvent, into spans: inout [Span]) {
        switch event {
        case .opened(let opened): open(opened, into: &spans)
        case .data(let chunk): receive(chunk, into: &spans)
        case .closed(let closed): close(closed, into: &spans)
        case .process(let process): processChanged(process, into: &spans)
        }
    }

    /// Declares lost the missing ranges chunks have waited for too long, and forgets connections idle
    /// longer than the idle timeout (without close semantics). `now` is in ns since the Unix epoch.
    /// Visits every tracked connection: call it about once a second, not per event.
    public func expire(now: UInt64) -> [Span] {
        var spans: [Span] = []
        while let oldest = recency.first, now > oldest.lastActivity, now - oldest.lastActivity > idleTimeout {
            forget(oldest)
            counters.expiredConnections += 1
        }
        for connection in connections.values {
            for direction in Direction.allCases {
                guard let waiting = connection.oldestPendingTimestamp(direction),
                      now > waiting, now - waiting > reorderTimeout else { continue }
                connection.flush(direction, into: &pieces)
                feedPieces(direction: direction, to: connection, into: &spans)
            }
        }
        return spans
    }

    // MARK: Events

    private func open(_ opened: ConnectionOpened, into spans: inout [Span]) {
        if let existing = connections[opened.id] {
            // Its data came first: complete what the open tells.
            if existing.role == .unknown { existing.role = opened.role }
            existing.local = existing.local ?? opened.local
            existing.remote = existing.remote ?? opened.remote
            touch(existing, at: opened.timestamp)
            return
        }
        guard admit(opened.id, at: opened.timestamp, into: &spans) else { return }
        track(TrackedConnection(opened: opened))
    }

    private func receive(_ chunk: DataChunk, into spans: inout [Span]) {
        let connection: TrackedConnection
        if let existing = connections[chunk.id] {
            connection = existing
            touch(connection, at: chunk.timestamp)
        } else {
            guard admit(chunk.id, at: chunk.timestamp, into: &spans) else { return }
            connection = TrackedConnection(joinedMidStream: chunk.id, at: chunk.timestamp)
            track(connection)
        }
        switch (chunk.source, connection.isTLS) {
        case (.tlsLibrary, false):
            // Its ciphertext may have exhausted the detection budget: that verdict was about ciphertext.
            if case .unrecognised = connection.protocolState { counters.unrecognisedConnections -= 1 }
            connection.switchToTLS()
            counters.tlsConnections += 1
        case (.socket, true):
            counters.bytesIgnored += chunk.payload.count
            return
        default:
            break
        }
        connection.accept(chunk, limits: reorderLimits, into: &pieces)
        feedPieces(direction: chunk.direction, to: connection, into: &spans)
    }

    private func close(_ closed: ConnectionClosed, into spans: inout [Span]) {
        guard let connection = connections[closed.id] else { return }
        finish(connection, at: closed.timestamp, into: &spans)
    }

    /// An exited process closed all its connections, whether or not close() was called.
    private func processChanged(_ event: ProcessEvent, into spans: inout [Span]) {
        guard event.kind == .exit, let ids = connectionsByProcess[event.pid] else { return }
        for id in ids {
            if let connection = connections[id] { finish(connection, at: event.timestamp, into: &spans) }
        }
    }

    // MARK: Connection lifecycle

    /// Whether a connection not tracked yet may be: not when a newer generation of its descriptor is
    /// tracked (a late event). A tracked older generation was closed without our seeing it: finish it.
    private func admit(_ id: ConnectionID, at timestamp: UInt64, into spans: inout [Span]) -> Bool {
        let descriptor = ProcessDescriptor(id)
        if id.hasDescriptor, let generation = generations[descriptor] {
            guard generation < id.generation else {
                counters.staleEvents += 1
                return false
            }
            if let previous = connections[ConnectionID(pid: id.pid, fd: id.fd, generation: generation)] {
                finish(previous, at: timestamp, into: &spans)
            }
        }
        if connections.count >= configuration.maxConnections, let leastRecent = recency.first {
            forget(leastRecent)
            counters.evictedConnections += 1
        }
        return true
    }

    private func track(_ connection: TrackedConnection) {
        connections[connection.id] = connection
        if connection.id.hasDescriptor {
            generations[ProcessDescriptor(connection.id)] = connection.id.generation
        }
        connectionsByProcess[connection.id.pid, default: []].insert(connection.id)
        recency.append(connection)
        counters.connectionsSeen += 1
    }

    private func touch(_ connection: TrackedConnection, at timestamp: UInt64) {
        connection.lastActivity = max(connection.lastActivity, timestamp)
        recency.touch(connection)
    }

    /// Close semantics: deliver what waits, let the session complete close-delimited messages, forget.
    private func finish(_ connection: TrackedConnection, at timestamp: UInt64, into spans: inout [Span]) {
        for direction in Direction.allCases {
            connection.flush(direction, into: &pieces)
            feedPieces(direction: direction, to: connection, into: &spans)
        }
        if let session = connection.session {
            session.close(timestamp: timestamp, into: &records)
            buildSpans(on: connection, into: &spans)
        }
        forget(connection)
    }

    private func forget(_ connection: TrackedConnection) {
        connections[connection.id] = nil
        let descriptor = ProcessDescriptor(connection.id)
        if generations[descriptor] == connection.id.generation {
            generations[descriptor] = nil
        }
        connectionsByProcess[connection.id.pid]?.remove(connection.id)
        if connectionsByProcess[connection.id.pid]?.isEmpty == true {
            connectionsByProcess[connection.id.pid] = nil
        }
        recency.remove(connection)
        retiredResyncs += connection.session?.resyncCount ?? 0
        retiredDuplicates += connection.duplicateChunks
    }

    // MARK: Streams to sessions

    /// Feeds `pieces` of `direction` to the connection's session and empties it; builds the spans of
    /// the exchanges the session completed.
    private func feedPieces(direction: Direction, to connection: TrackedConnection, into spans: inout [Span]) {
        guard !pieces.isEmpty else { return }
        for piece in pieces {
            switch piece {
            case .bytes(let bytes, let timestamp):
                guard let session = session(for: connection, startingWith: bytes) else {
                    counters.bytesIgnored += bytes.count
                    continue
                }
                session.receive(bytes, direction: direction, timestamp: timestamp, into: &records)
            case .uncaptured(let count, let timestamp):
                counters.bytesSkipped += count
                connection.session?.skip(count, direction: direction, timestamp: timestamp, into: &records)
            case .gap(let count, let timestamp):
                counters.gaps += 1
                counters.bytesSkipped += count
                connection.session?.skip(count, direction: direction, timestamp: timestamp, into: &records)
            }
        }
        pieces.removeAll(keepingCapacity: true)
        buildSpans(on: connection, into: &spans)
    }

    /// The connection's session, recognising its protocol from `bytes` if none is known yet; nil while
    /// (or once) nothing recognises it.
    private func session(for connection: TrackedConnection, startingWith bytes: [UInt8]) -> (any ProtocolSession)? {
        guard case .detecting(let chunks, let examined) = connection.protocolState else {
            return connection.session
        }
        if let detector = configuration.detectors.first(where: { $0.recognizes(bytes[...]) }) {
            let session = detector.makeSession(connection.role)
            connection.protocolState = .parsing(session)
            return session
        }
        if chunks + 1 >= configuration.detectionChunkBudget || examined + bytes.count >= configuration.detectionByteBudget {
            connection.protocolState = .unrecognised
            counters.unrecognisedConnections += 1
        } else {
            connection.protocolState = .detecting(chunks: chunks + 1, bytes: examined + bytes.count)
        }
        return nil
    }

    /// Builds the spans of `records` and empties it.
    private func buildSpans(on connection: TrackedConnection, into spans: inout [Span]) {
        guard !records.isEmpty else { return }
        let resource = connection.resource ?? catalog.resource(for: connection.id.pid)
        connection.resource = resource
        let info = connection.info
        // By index: each record is read in place, where a `for` loop would copy it (a retain of each of
        // its strings and header lists, released again when the buffer is emptied).
        for index in records.indices {
            spans.append(records[index].span(connection: info, resource: resource, options: configuration.spanOptions))
        }
        counters.spansBuilt += records.count
        records.removeAll(keepingCapacity: true)
    }
}

/// A descriptor of a process, whatever its generation.
private struct ProcessDescriptor: Hashable {
    var pid: Int32
    var fd: Int32

    init(_ id: ConnectionID) {
        pid = id.pid
        fd = id.fd
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to zero and `UInt64.max`.
    fileprivate var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, carry) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow || carry ? .max : total
    }
}
