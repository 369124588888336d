import Foundation

/// A bounded hand-off of event batches from the ring-buffer thread to the pipeline thread, bounded by the
/// ring-buffer bytes its batches were read from.
///
/// When the consumer falls behind, `push` waits: the ring buffer then fills and the kernel counts what it
/// cannot store, so no event is lost silently. The bound is in bytes, not batches: a batch is whatever the
/// ring held at a read, from a few events to megabytes under a burst, and a bound of 256 batches had let an
/// overloaded tracer hold hundreds of megabytes of events.
final class EventQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [(events: [Element], bytes: Int)] = []
    private var head = 0
    /// The bytes of the batches not yet popped.
    private var queuedBytes = 0
    private let capacityBytes: Int
    private var closed = false

    /// A queue that holds batches of up to `capacityBytes` ring-buffer bytes in all (one batch alone may
    /// hold more).
    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Appends a batch read from `bytes` ring-buffer bytes, waiting while it would take the queue beyond its
    /// capacity (an empty queue takes any batch); drops it only once the queue is closed.
    func push(_ batch: [Element], bytes: Int) {
        condition.lock()
        defer { condition.unlock() }
        while queuedBytes > 0 && queuedBytes + bytes > capacityBytes && !closed { condition.wait() }
        guard !closed else { return }
        batches.append((batch, bytes))
        queuedBytes += bytes
        condition.broadcast()
    }

    /// The oldest batch, waiting up to `timeout`: an empty batch on timeout, nil once closed and drained.
    func pop(timeout: TimeInterval) -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while head == batches.count {
            if closed { return nil }
            if !condition.wait(until: deadline) { return [] }
        }
        // Taken out, not copied: the consumer then owns the batch alone and frees its events after
        // handling them, outside the lock, instead of many batches at once at the next compaction.
        let batch = batches[head]
        batches[head] = ([], 0)
        queuedBytes -= batch.bytes
        head += 1
        if head > 64 && head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return batch.events
    }

    /// Wakes every waiter; queued batches can still be popped.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
