import Testing
@testable import SondeBPF

/// The ring-buffer thread's wait between reads: about 64 KiB a read at the rate last seen, between 1 and
/// 50 ms.
struct RingBufferPacingTests {
    @Test func aStartingReaderWaitsTheLongest() {
        #expect(RingBufferPacing().wait == .milliseconds(50))
        #expect(RingBufferPacing().waitMilliseconds == 50)
    }

    @Test func theWaitIsWhatBringsAboutTheTargetAtTheLastRate() {
        var pacing = RingBufferPacing()
        // 128 KiB in 10 ms: 64 KiB come in 5 ms.
        pacing.record(bytes: 128 << 10, over: .milliseconds(10))
        #expect(pacing.wait == .milliseconds(5))
        #expect(pacing.waitMilliseconds == 5)
        // 16 KiB in 5 ms: 64 KiB come in 20 ms.
        pacing.record(bytes: 16 << 10, over: .milliseconds(5))
        #expect(pacing.wait == .milliseconds(20))
    }

    @Test func theWaitStaysBetweenOneAndFiftyMilliseconds() {
        var pacing = RingBufferPacing()
        pacing.record(bytes: 8 << 20, over: .milliseconds(10))
        #expect(pacing.wait == .milliseconds(1))
        pacing.record(bytes: 100, over: .milliseconds(50))
        #expect(pacing.wait == .milliseconds(50))
        pacing.record(bytes: 0, over: .milliseconds(2))
        #expect(pacing.wait == .milliseconds(50))
    }

    @Test func partsOfAMillisecondRoundDownButNeverToZero() {
        var pacing = RingBufferPacing()
        pacing.record(bytes: 48 << 10, over: .milliseconds(3))  // 4 ms
        #expect(pacing.waitMilliseconds == 4)
        pacing.record(bytes: 50 << 10, over: .milliseconds(3))  // 3.93 ms
        #expect(pacing.waitMilliseconds == 3)
        pacing.record(bytes: 1 << 20, over: .microseconds(100))
        #expect(pacing.waitMilliseconds == 1)
    }
}
