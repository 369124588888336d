import Foundation
import GRDB
import SondeModel

/// The recent-span store: spans written to SQLite (WAL, through a GRDB `DatabasePool`) off the tracer's
/// thread, in one transaction per batch, within age and size bounds.
///
/// ``consume(_:)`` only appends to a bounded queue and returns; a writer thread flushes every
/// `batchSize` spans or `flushInterval`, then evicts. A full queue drops spans and counts them. Readers
/// (`sonde query`, other processes) read the file concurrently and never block the writer. A crash loses
/// at most the spans not yet flushed; what was committed stays readable.
public final class SpanStore: @unchecked Sendable {
    public let configuration: StoreConfiguration
    private let pool: DatabasePool
    /// The writer thread's own once the store is open.
    private var eviction: StoreEviction
    /// Guards `pending`, `isStopping` and `counters`.
    private let condition = NSCondition()
    private var pending: [Span] = []
    private var isStopping = false
    private var counters = StoreStatistics()
    /// The writer thread's own: the newest span end stored, and the facts of the processes seen lately.
    private var newestTime = Int64.min
    private var resourceFacts = ResourceFactsCache()
    private let finished = DispatchSemaphore(value: 0)

    /// Opens (or creates, owner-only) the store and starts its writer thread.
    public init(configuration: StoreConfiguration) throws {
        self.configuration = configuration
        try StoreFile.prepare(path: configuration.path)
        do {
            var database = Configuration()
            database.label = "sonde.store"
            // Two tracers may share a file: the second waits for the first's transaction instead of failing.
            database.busyMode = .timeout(5)
            database.prepareDatabase { db in
                // WAL without a sync per commit: a crash of Sonde loses nothing committed (the WAL is in the
                // file system's hands); only a crash of the machine may lose the last commits.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Debian builds SQLite to overwrite every deleted row with zeros, which doubled the cost of
                // eviction. FAST still clears rows from the pages that are written anyway, at no extra I/O;
                // the file is its owner's only (0600).
                try db.execute(sql: "PRAGMA secure_delete = FAST")
            }
            pool = try DatabasePool(path: configuration.path, configuration: database)
            try StoreSchema.migrator.migrate(pool)
            eviction = try pool.write { db in
                try StoreEviction(db, maximumAge: configuration.maximumAge, maximumBytes: configuration.maximumBytes)
            }
        } catch {
            throw StoreError("cannot open the store \(configuration.path): \(error).")
        }
        let thread = Thread { [self] in writeUntilStopped() }
        thread.name = "sonde.store"
        thread.start()
    }

    /// Queues `spans` for the next flush; drops (and counts) what does not fit in the queue.
    public func consume(_ spans: [Span]) {
        condition.withLock {
            let room = isStopping ? 0 : max(configuration.queueCapacity - pending.count, 0)
            let wasEmpty = pending.isEmpty
            pending += spans.prefix(room)
            counters.spansDropped += max(spans.count - room, 0)
            // The writer sleeps until the first span (then the flush interval runs) or a full batch.
            if wasEmpty || pending.count >= configuration.batchSize { condition.signal() }
        }
    }

    /// Writes everything queued, stops the writer and closes the file.
    public func shutdown() {
        let wasStopping = condition.withLock {
            defer { isStopping = true; condition.signal() }
            return isStopping
        }
        guard !wasStopping else { return }
        finished.wait()
        try? pool.close()
    }

    /// What the store did so far.
    public var statistics: StoreStatistics {
        condition.withLock { counters }
    }

    private func writeUntilStopped() {
        // The writer yields to the tracer when they compete for a core: a span the store cannot keep is
        // counted and the trace goes on, while an event the tracer reads too late is lost for every
        // consumer. (On Linux the nice value is per thread, and 0 names the calling one.)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        while let batch = nextBatch() {
            // A backlog is written a batch per transaction, so each commit and eviction stays small.
            for start in stride(from: 0, to: batch.count, by: configuration.batchSize) {
                write(batch[start..<min(start + configuration.batchSize, batch.count)])
            }
        }
        finished.signal()
    }

    /// Waits for a full batch, the flush interval or shutdown; nil once stopped and drained.
    private func nextBatch() -> [Span]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !isStopping { condition.wait() }
        let deadline = Date(timeIntervalSinceNow: Double(configuration.flushInterval.components.attoseconds) / 1e18
                            + Double(configuration.flushInterval.components.seconds))
        while pending.count < configuration.batchSize && !isStopping && condition.wait(until: deadline) {}
        if pending.isEmpty && isStopping { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    private func write(_ batch: ArraySlice<Span>) {
        let ends = batch.lazy.map { Int64(bitPattern: $0.endTime) }
        let newest = max(newestTime, ends.max() ?? .min)
        do {
            let (rows, evicted) = try pool.write { db in
                var writer = try SpanRowWriter(db, partition: eviction.partition)
                // By index: the spans are read where they are, not copied out of the batch.
                for index in batch.indices {
                    try writer.write(batch[index], from: resourceFacts.facts(for: batch[index].resource))
                }
                try writer.finish()
                return (writer.rowCount, try eviction.evict(db, newest: newest, oldestWritten: ends.min() ?? .max))
            }
            newestTime = newest
            condition.withLock {
                counters.spansWritten += batch.count
                counters.rowsWritten += rows
                counters.rowsEvicted += evicted
                counters.flushes += 1
            }
        } catch {
            condition.withLock {
                counters.spansDropped += batch.count
                counters.lastError = "\(error)"
            }
        }
    }
}
