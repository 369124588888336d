import Foundation
import SondeModel

/// The bounded queue between the threads that enqueue spans and the exporter thread, and the
/// exporter's statistics and shutdown state, all under one lock.
final class ExportQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private let batchSize: Int
    private let scheduleDelay: Duration

    // Guarded by `condition`.
    private var spans: [Span] = []
    /// When the oldest span now waiting arrived.
    private var oldestArrival: ContinuousClock.Instant?
    private var statistics = OTLPExporterStatistics()
    private var shutdownDeadline: ContinuousClock.Instant?
    private var drained = false

    init(capacity: Int, batchSize: Int, scheduleDelay: Duration) {
        self.capacity = capacity
        self.batchSize = batchSize
        self.scheduleDelay = scheduleDelay
        spans.reserveCapacity(capacity)
    }

    /// Queues as many of `newSpans` as there is room for and counts the rest as dropped. Never blocks
    /// beyond the lock.
    func enqueue(_ newSpans: [Span]) {
        guard !newSpans.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        let accepted = shutdownDeadline == nil ? min(capacity - spans.count, newSpans.count) : 0
        statistics.enqueued += newSpans.count
        statistics.dropped += newSpans.count - accepted
        guard accepted > 0 else { return }
        let wasEmpty = spans.isEmpty
        if wasEmpty { oldestArrival = .now }
        spans.append(contentsOf: newSpans.prefix(accepted))
        // Wake the exporter to start the schedule delay, or to send a full batch now. (Broadcast: the
        // shutdown caller may wait on the same condition.)
        if wasEmpty || spans.count >= batchSize { condition.broadcast() }
    }

    /// Waits until a full batch is queued, the oldest queued span has waited `scheduleDelay`, or
    /// shutdown began; returns up to `batchSize` spans, or nil once shutdown began and the queue is empty.
    func nextBatch() -> [Span]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if spans.count >= batchSize || (!spans.isEmpty && shutdownDeadline != nil) {
                return takeBatch()
            }
            if spans.isEmpty && shutdownDeadline != nil {
                return nil
            }
            if let oldestArrival {
                let due = oldestArrival + scheduleDelay
                if ContinuousClock.now >= due { return takeBatch() }
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(until: due)))
            } else {
                condition.wait()
            }
        }
    }

    private func takeBatch() -> [Span] {
        let count = min(batchSize, spans.count)
        let batch = Array(spans.prefix(count))
        spans.removeFirst(count)
        if spans.isEmpty { oldestArrival = nil }  // else the rest keep their (earlier) due time
        return batch
    }

    /// Sleeps until `wakeTime` for a retry; returns false, at once, if shutdown's deadline falls before
    /// `wakeTime` (also when shutdown begins during the sleep), meaning the retry must not happen.
    func sleepForRetry(until wakeTime: ContinuousClock.Instant) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while ContinuousClock.now < wakeTime {
            if let shutdownDeadline, shutdownDeadline < wakeTime { return false }
            _ = condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(until: wakeTime)))
        }
        return true
    }

    /// The deadline shutdown set, if it has begun.
    var deadline: ContinuousClock.Instant? {
        condition.lock()
        defer { condition.unlock() }
        return shutdownDeadline
    }

    func record(_ update: (inout OTLPExporterStatistics) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        update(&statistics)
    }

    var currentStatistics: OTLPExporterStatistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Begins shutdown (the first call sets the deadline), waits until the exporter thread has settled
    /// every queued span, and returns the final statistics.
    func shutdown(timeout: Duration) -> OTLPExporterStatistics {
        condition.lock()
        defer { condition.unlock() }
        beginShutdownLocked(timeout: timeout)
        while !drained { condition.wait() }
        return statistics
    }

    /// Begins shutdown without waiting for it (the first call sets the deadline).
    func beginShutdown(timeout: Duration) {
        condition.lock()
        defer { condition.unlock() }
        beginShutdownLocked(timeout: timeout)
    }

    private func beginShutdownLocked(timeout: Duration) {
        if shutdownDeadline == nil { shutdownDeadline = .now + timeout }
        condition.broadcast()
    }

    /// Called by the exporter thread when `nextBatch` returned nil.
    func markDrained() {
        condition.lock()
        defer { condition.unlock() }
        drained = true
        condition.broadcast()
    }

    private static func seconds(until instant: ContinuousClock.Instant) -> TimeInterval {
        let (seconds, attoseconds) = (instant - .now).components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }
}
