import Testing
@testable import SondeProtocols

@Suite struct MySQLPacketFramerTests {
    private let mark = StreamMark(timestamp: 1, sequence: 1)

    private func header(_ length: Int, _ sequenceID: UInt8) -> [UInt8] {
        [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), sequenceID]
    }

    /// A payload of 16 MiB - 1 bytes or more goes as full-length packets and a shorter last one (empty
    /// when it divides evenly); they form one logical packet, read whole or skipped past.
    @Test(arguments: [MySQLPacketFramer.maxPhysicalLength, MySQLPacketFramer.maxPhysicalLength + 10])
    func joinsPacketsSplitAt16MiB(_ length: Int) {
        let full = MySQLPacketFramer.maxPhysicalLength
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 % 251) }
        var bytes = header(full, 0) + payload[..<full] + header(length - full, 1) + payload[full...]
        bytes += header(1, 0) + [0x0E]
        var framer = MySQLPacketFramer()
        var index = 0
        let first = framer.next(bytes, at: &index, mark: mark)
        #expect(first?.length == length)
        #expect(first?.sequenceID == 0)
        #expect(first?.payload == Array(payload.prefix(MySQLPacketFramer.retainedBytes)))
        let second = framer.next(bytes, at: &index, mark: mark)
        #expect(second?.payload == [0x0E])

        var skipping = MySQLPacketFramer()
        var start = 0
        let captured = Array(bytes.prefix(16384))
        #expect(skipping.next(captured, at: &start, mark: mark) == nil)
        // The uncaptured rest of the first physical packet, then its continuation header.
        #expect(skipping.skip(full + 4 - 16384, mark: mark) == nil)
        var rest = 0
        let tail = Array(bytes[(full + 4)...])
        #expect(skipping.next(tail, at: &rest, mark: mark)?.length == length)
        #expect(skipping.next(tail, at: &rest, mark: mark)?.payload == [0x0E])
    }

    @Test func skippingAcrossAHeaderLosesSyncUntilResync() {
        var framer = MySQLPacketFramer()
        var index = 0
        #expect(framer.next(header(3, 0) + [0x03, 0x53], at: &index, mark: mark) == nil)
        guard case .lostSync = framer.skip(10, mark: mark) else {
            Issue.record("expected a loss of sync")
            return
        }
        #expect(!framer.isInSync)
        framer.resync()
        index = 0
        #expect(framer.next(header(1, 0) + [0x0E], at: &index, mark: mark)?.payload == [0x0E])
    }
}

extension MySQLPacketFramer.Packet: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.sequenceID == rhs.sequenceID && lhs.payload == rhs.payload && lhs.length == rhs.length
    }
}
