import SondeModel

/// Feeds a ``ConnectionTracker`` recorded events (a replayed capture) whose timestamps are the only clock:
/// expiry runs on event time, once per second of it, as live tracing runs it on the wall clock.
public struct ReplayDriver {
    public let tracker: ConnectionTracker
    private let reorderTimeout: Duration
    private var lastExpiry: UInt64?
    private var latest: UInt64 = 0

    /// Limits for replays: a capture shows a lost segment's retransmission after the retransmission
    /// timeout (a second or more), so a range waits up to 10 s of capture time and 1024 chunks (16 MiB)
    /// before it is declared lost.
    public static var replayConfiguration: ConnectionTracker.Configuration {
        ConnectionTracker.Configuration(reorderChunkLimit: 1024, reorderByteLimit: 16 << 20, reorderTimeout: .seconds(10))
    }

    public init(catalog: any ProcessCatalog, configuration: ConnectionTracker.Configuration = replayConfiguration) {
        tracker = ConnectionTracker(configuration: configuration, catalog: catalog)
        reorderTimeout = configuration.reorderTimeout
    }

    /// Takes one event; returns the spans it (or the expiry it made due) completed.
    public mutating func handle(_ event: RawEvent) -> [Span] {
        let now = event.timestamp
        latest = max(latest, now)
        var spans = tracker.handle(event)
        if let lastExpiry, latest > lastExpiry, latest - lastExpiry >= 1_000_000_000 {
            spans += tracker.expire(now: latest)
            self.lastExpiry = latest
        } else if lastExpiry == nil {
            lastExpiry = latest
        }
        return spans
    }

    /// The recording ended: declares lost every range still awaited and returns the spans that completes.
    /// Connections not closed in the recording stay open, as at the end of a live run: exchanges they have
    /// not completed are not reported.
    public mutating func finish() -> [Span] {
        let (seconds, attoseconds) = reorderTimeout.components
        let wait = UInt64(max(seconds, 0)) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000) + 1
        return tracker.expire(now: latest &+ wait)
    }
}

extension RawEvent {
    /// When the event happened, in nanoseconds since the Unix epoch.
    var timestamp: UInt64 {
        switch self {
        case .opened(let opened): opened.timestamp
        case .data(let chunk): chunk.timestamp
        case .closed(let closed): closed.timestamp
        case .process(let process): process.timestamp
        }
    }
}
