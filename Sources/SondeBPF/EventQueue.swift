import Foundation

/// A bounded hand-off of event batches from the ring-buffer thread to the pipeline thread.
///
/// When the consumer falls behind, `push` waits: the ring buffer then fills and the kernel counts what it
/// cannot store, so no event is lost silently.
final class EventQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var head = 0
    private let capacity: Int
    private var closed = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Appends a batch, waiting while the queue is full; drops it only once the queue is closed.
    func push(_ batch: [Element]) {
        condition.lock()
        defer { condition.unlock() }
        while batches.count - head >= capacity && !closed { condition.wait() }
        guard !closed else { return }
        batches.append(batch)
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
        batches[head] = []
        head += 1
        if head > 64 && head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return batch
    }

    /// Wakes every waiter; queued batches can still be popped.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
