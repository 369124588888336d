import Foundation
import GRDB
import SondeStore
import Synchronization
import Testing

/// Readers read while the tracer writes: neither waits for the other, nothing is lost.
@Suite struct ConcurrentReadTests {
    @Test func aReaderInALoopNeverFailsAndEverySpanArrives() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        let reader = try fixture.reader()
        let stop = Atomic<Bool>(false)
        let observations = Mutex<(reads: Int, errors: [String], decreases: Int)>((0, [], 0))
        let readerThread = Thread {
            var last = 0
            while !stop.load(ordering: .relaxed) {
                do {
                    let count = try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM spans") ?? 0 }
                    observations.withLock { $0.reads += 1; if count < last { $0.decreases += 1 } }
                    last = count
                } catch {
                    observations.withLock { $0.errors.append("\(error)") }
                }
            }
        }
        readerThread.start()
        for chunk in 0..<200 {
            store.consume((0..<100).map { syntheticSpan(UInt64(chunk * 100 + $0), endingAt: UInt64(chunk * 100 + $0) / 1000) })
            if chunk % 20 == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        store.shutdown()
        stop.store(true, ordering: .relaxed)
        while !readerThread.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        let seen = observations.withLock { $0 }
        #expect(seen.errors == [])
        #expect(seen.decreases == 0)
        #expect(seen.reads > 0)
        #expect(try fixture.count("spans") == 20_000)
        #expect(try fixture.count("(SELECT DISTINCT span_id FROM spans)") == 20_000)
        #expect(try fixture.count("http_events") == 20_000)
        #expect(store.statistics.spansDropped == 0)
        #expect(store.statistics.spansWritten == 20_000)
    }
}
