import GRDB

/// Keeps a store within its age and size bounds by deleting the rows with the oldest `time_`, in every
/// table at once.
struct StoreEviction {
    var maximumAge: UInt64
    var maximumBytes: Int

    /// Deletes rows older than `maximumAge` before `newest`, then, while the live pages exceed
    /// `maximumBytes`, the oldest eighth of the spans and every row no newer; returns the rows deleted.
    func evict(_ db: Database, newest: Int64) throws -> Int {
        var evicted = 0
        let ageCutoff = newest - Int64(clamping: maximumAge)
        if ageCutoff > Int64.min {
            evicted += try deleteRows(db, olderThan: ageCutoff)
        }
        while try usedBytes(db) > maximumBytes {
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM spans") ?? 0
            guard count > 0, let cutoff = try Int64.fetchOne(
                db, sql: "SELECT time_ FROM spans ORDER BY time_ LIMIT 1 OFFSET ?", arguments: [max(count / 8, 1) - 1])
            else { break }
            evicted += try deleteRows(db, olderThan: cutoff + 1)
        }
        return evicted
    }

    private func deleteRows(_ db: Database, olderThan cutoff: Int64) throws -> Int {
        var deleted = 0
        for table in StoreSchema.tables {
            try db.execute(sql: "DELETE FROM \(table.name) WHERE time_ < ?", arguments: [cutoff])
            deleted += db.changesCount
        }
        return deleted
    }

    /// Bytes in pages that hold data (free pages are reused before the file grows).
    private func usedBytes(_ db: Database) throws -> Int {
        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
        let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        return (pages - free) * pageSize
    }
}
