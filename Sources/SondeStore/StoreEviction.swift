import GRDB

/// Keeps a store within its age and size bounds, and says which partition new rows go to.
///
/// Size: spans go to one partition of `spans` at a time. Once that partition has grown by
/// 1/``StoreSchema/partitionCount`` of the size bound, or the store exceeds the bound, writing moves on to
/// the next partition, which holds the oldest rows and is emptied first. Emptying a table frees its pages
/// wholesale (SQLite's truncate optimisation), where deleting the oldest rows one by one had cost as much
/// as writing them. Age: rows older than the maximum age before the newest span are deleted, in every table.
///
/// The writer thread owns it; every method runs inside the writer's transaction.
struct StoreEviction {
    let maximumAge: UInt64
    let maximumBytes: Int
    /// The partition of `spans` new rows go to.
    private(set) var partition: Int
    /// Bytes in use when ``partition`` was started: it has grown by the difference since.
    private var bytesAtPartitionStart: Int
    /// No row of `spans` ended before this: rows are deleted by age only once it is past the cutoff.
    private var oldestSpan: Int64

    /// Resumes a store where it was left: writing goes on in the partition holding the newest span.
    init(_ db: Database, maximumAge: UInt64, maximumBytes: Int) throws {
        self.maximumAge = maximumAge
        self.maximumBytes = maximumBytes
        var newest: (partition: Int, time: Int64)?
        var spansInPartition: [Int] = []
        for (index, table) in StoreSchema.spans.physicalTables.enumerated() {
            spansInPartition.append(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0)
            if let time = try Int64.fetchOne(db, sql: "SELECT max(time_) FROM \(table)"), time > newest?.time ?? .min {
                newest = (index, time)
            }
        }
        partition = newest?.partition ?? 0
        // The partition's share of the bytes in use, taken as its share of the spans.
        let used = try Self.usedBytes(db)
        let allSpans = spansInPartition.reduce(0, +)
        bytesAtPartitionStart = used - (allSpans == 0 ? 0 : used * spansInPartition[partition] / allSpans)
        oldestSpan = try Self.oldestSpan(db)
    }

    /// Evicts what the bounds exclude once rows are written that ended from `oldestWritten` on, the newest
    /// stored being `newest`; returns the rows deleted.
    mutating func evict(_ db: Database, newest: Int64, oldestWritten: Int64) throws -> Int {
        var evicted = 0
        let ageCutoff = newest - Int64(clamping: maximumAge)
        oldestSpan = min(oldestSpan, oldestWritten)
        if ageCutoff > Int64.min && oldestSpan < ageCutoff {
            let before = try Self.usedBytes(db)
            let deleted = try deleteRows(db, olderThan: ageCutoff)
            if deleted > 0 {
                evicted += deleted
                bytesAtPartitionStart -= before - (try Self.usedBytes(db))
            }
            oldestSpan = try Self.oldestSpan(db)
        }
        var used = try Self.usedBytes(db)
        var moves = 0
        // Every other partition emptied, the batch just written stays, even if alone it exceeds the bound.
        while moves < StoreSchema.partitionCount - 1
            && (used - bytesAtPartitionStart >= maximumBytes / StoreSchema.partitionCount || used > maximumBytes) {
            evicted += try moveToNextPartition(db)
            used = try Self.usedBytes(db)
            bytesAtPartitionStart = used
            moves += 1
        }
        return evicted
    }

    /// Empties the partition of `spans` after the current one (the oldest), makes it the current one, and
    /// deletes the processes no span is left of; returns the rows deleted.
    private mutating func moveToNextPartition(_ db: Database) throws -> Int {
        partition = (partition + 1) % StoreSchema.partitionCount
        try db.execute(sql: "DELETE FROM \(StoreSchema.spans.partition(partition))")
        let deleted = db.changesCount
        oldestSpan = try Self.oldestSpan(db)
        try db.execute(sql: "DELETE FROM \(StoreSchema.process.name) WHERE time_ < ?", arguments: [oldestSpan])
        return deleted + db.changesCount
    }

    /// The end of the oldest span stored (`Int64.max` when there is none), partition by partition: each one's
    /// `time_` index answers at once, where min() over the view would read every row.
    private static func oldestSpan(_ db: Database) throws -> Int64 {
        var oldest = Int64.max
        for table in StoreSchema.spans.physicalTables {
            oldest = min(oldest, try Int64.fetchOne(db, sql: "SELECT min(time_) FROM \(table)") ?? .max)
        }
        return oldest
    }

    /// Deletes the rows of every table (every partition) that ended before `cutoff`.
    private func deleteRows(_ db: Database, olderThan cutoff: Int64) throws -> Int {
        var deleted = 0
        for table in StoreSchema.tables {
            for physicalTable in table.physicalTables {
                try db.execute(sql: "DELETE FROM \(physicalTable) WHERE time_ < ?", arguments: [cutoff])
                deleted += db.changesCount
            }
        }
        return deleted
    }

    /// Bytes in pages that hold data (free pages are reused before the file grows).
    private static func usedBytes(_ db: Database) throws -> Int {
        let pages = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA page_count")) ?? 0
        let free = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA freelist_count")) ?? 0
        let pageSize = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA page_size")) ?? 4096
        return (pages - free) * pageSize
    }
}
