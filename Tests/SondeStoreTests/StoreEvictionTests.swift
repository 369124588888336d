import GRDB
import SondeModel
import SondeStore
import Testing

/// The store stays within its bounds, evicting the oldest `time_` first in every table: by age row by row,
/// by size a partition at a time.
@Suite struct StoreEvictionTests {
    @Test func rowsOlderThanTheMaximumAgeBeforeTheNewestAreEvicted() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore { $0.maximumAge = 30_000_000_000 }
        store.consume((0..<100).map { syntheticSpan($0) })
        store.shutdown()

        // The newest ends at 99 s: everything before 69 s goes, 69 s to 99 s stays.
        #expect(try fixture.count("spans") == 31)
        #expect(try fixture.count("http_events") == 31)
        #expect(try fixture.rows("SELECT min(time_) AS t FROM spans", columns: ["t"])
                == ["\(1_795_000_000_000_000_000 + 69 * 1_000_000_000)"])
        #expect(store.statistics.rowsEvicted == 69)
        #expect(store.statistics.rowsWritten == 100)
    }

    @Test func aSpanArrivingLateAndTooOldIsEvictedWithItsBatch() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore {
            $0.maximumAge = 30_000_000_000
            $0.batchSize = 30
        }
        // Two batches: 70 s to 99 s, all within the age bound, then one span that ended at 5 s.
        store.consume((70..<100).map { syntheticSpan($0) } + [syntheticSpan(5)])
        store.shutdown()

        #expect(try fixture.rows("SELECT min(time_) AS t FROM spans", columns: ["t"])
                == ["\(1_795_000_000_000_000_000 + 70 * 1_000_000_000)"])
        #expect(store.statistics.rowsEvicted == 1)
        #expect(store.statistics.flushes == 2)
    }

    @Test func theOldestPartitionIsEmptiedWhileTheStoreIsTooLarge() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let maximumBytes = 1 << 20
        let store = try fixture.openStore {
            $0.maximumBytes = maximumBytes
            $0.batchSize = 100
        }
        let longPath = "/" + String(repeating: "p", count: 200)
        // One call, so the writer takes all of it and writes it 100 spans per transaction, whenever it woke.
        store.consume((0..<4000).map { syntheticSpan(UInt64($0), path: longPath) })
        store.shutdown()

        let statistics = store.statistics
        let remaining = try fixture.count("spans")
        #expect(statistics.spansWritten == 4000)
        #expect(statistics.flushes == 40)
        #expect(remaining == 2000)  // the last 20 transactions, in the partitions not emptied since
        #expect(try fixture.count("http_events") == remaining)
        #expect(statistics.rowsEvicted + remaining == statistics.rowsWritten)
        // What is left is the newest spans, without a hole, spread over more than one partition.
        #expect(try fixture.rows("SELECT min(time_) AS t FROM spans", columns: ["t"])
                == ["\(1_795_000_000_000_000_000 + UInt64(4000 - remaining) * 1_000_000_000)"])
        #expect(try fixture.partitionCounts().filter { $0 > 0 }.count > 1)
        let used = try fixture.reader().read { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")! - Int.fetchOne(db, sql: "PRAGMA freelist_count")!
            return pages * (try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        #expect(used <= maximumBytes)
    }

    @Test func aReopenedStoreGoesOnInThePartitionOfItsNewestSpans() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let configure: (inout StoreConfiguration) -> Void = {
            $0.maximumBytes = 1 << 20
            $0.batchSize = 100
        }
        let longPath = "/" + String(repeating: "p", count: 200)
        let first = try fixture.openStore(configure)
        first.consume((0..<1000).map { syntheticSpan(UInt64($0), path: longPath) })
        first.shutdown()
        let partitionsBefore = try fixture.partitionCounts()

        let second = try fixture.openStore(configure)
        second.consume([syntheticSpan(1000, path: longPath)])
        second.shutdown()

        // The one new span joins the partition of span 999, the newest; no partition was emptied for it.
        let newest = try #require(try fixture.partition(holdingSpan: SpanID(value: 1000)))
        var expected = partitionsBefore
        expected[newest] += 1
        #expect(try fixture.partitionCounts() == expected)
        #expect(second.statistics.rowsEvicted == 0)
    }

    @Test func agesParseWithTheirUnit() {
        #expect(StoreAge.nanoseconds("45s") == 45_000_000_000)
        #expect(StoreAge.nanoseconds("30m") == 1_800_000_000_000)
        #expect(StoreAge.nanoseconds("2h") == 7_200_000_000_000)
        #expect(StoreAge.nanoseconds("1d") == 86_400_000_000_000)
        for bad in ["", "h", "10", "-1h", "0m", "1.5h", "2w", "99999999999999999d"] {
            #expect(StoreAge.nanoseconds(bad) == nil, "\(bad)")
        }
    }
}
