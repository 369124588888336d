import Foundation
import Testing
@testable import SondeBPF

/// The hand-off from the ring-buffer thread to the pipeline thread: bounded by the bytes of its batches.
struct EventQueueTests {
    @Test func batchesComeOutInTheOrderTheyWentIn() {
        let queue = EventQueue<Int>(capacityBytes: 100)
        queue.push([1, 2], bytes: 10)
        queue.push([3], bytes: 10)
        #expect(queue.pop(timeout: 0) == [1, 2])
        #expect(queue.pop(timeout: 0) == [3])
        #expect(queue.pop(timeout: 0) == [])
    }

    @Test func aPushWaitsWhileTheBatchWouldTakeTheQueueBeyondItsBytes() {
        let queue = EventQueue<Int>(capacityBytes: 100)
        queue.push([1], bytes: 60)
        let pushed = DispatchSemaphore(value: 0)
        Thread {
            queue.push([2], bytes: 60)
            pushed.signal()
        }.start()
        #expect(pushed.wait(timeout: .now() + 0.2) == .timedOut, "60 + 60 bytes exceed the queue's 100")
        #expect(queue.pop(timeout: 0) == [1])
        #expect(pushed.wait(timeout: .now() + 5) == .success)
        #expect(queue.pop(timeout: 0) == [2])
    }

    @Test func anEmptyQueueTakesABatchLargerThanItsBytes() {
        let queue = EventQueue<Int>(capacityBytes: 100)
        queue.push([1, 2, 3], bytes: 1_000)
        #expect(queue.pop(timeout: 0) == [1, 2, 3])
    }

    @Test func aClosedQueueGivesWhatItHoldsThenNil() {
        let queue = EventQueue<Int>(capacityBytes: 100)
        queue.push([1], bytes: 10)
        queue.close()
        queue.push([2], bytes: 10)
        #expect(queue.pop(timeout: 0) == [1])
        #expect(queue.pop(timeout: 0) == nil)
    }
}
