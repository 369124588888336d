/// Where the span store lives and how much it keeps.
public struct StoreConfiguration: Sendable {
    /// The default file: `/var/lib/sonde/spans.db`.
    public static let defaultPath = "/var/lib/sonde/spans.db"

    /// The SQLite file (its directory is created owner-only if missing).
    public var path: String
    /// The live pages of the file stay within this many bytes: the oldest partition is emptied each time the one
    /// being written has grown by an eighth of it (see ``StoreSchema/partitionCount``).
    public var maximumBytes: Int
    /// Rows older than this many nanoseconds before the newest stored span are evicted.
    public var maximumAge: UInt64
    /// A batch is written when this many spans wait ...
    public var batchSize: Int
    /// ... or when the oldest waiting span has waited this long.
    public var flushInterval: Duration
    /// Spans beyond this many waiting are dropped (and counted): `consume` never waits for the disk, and
    /// memory stays bounded when spans come faster than the writer keeps up (about 50,000 a second while it evicts).
    public var queueCapacity: Int

    public init(path: String = defaultPath, maximumBytes: Int = 256 << 20, maximumAge: UInt64 = 3_600_000_000_000,
                batchSize: Int = 4000, flushInterval: Duration = .milliseconds(250), queueCapacity: Int = 25_000) {
        self.path = path
        self.maximumBytes = maximumBytes
        self.maximumAge = maximumAge
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.queueCapacity = queueCapacity
    }
}
