import SondeCapture
import SondeModel
import SondeTestSupport
import Testing

/// TCP reassembly on a real keep-alive capture (five exchanges, see ReplayTests.keepAliveExchanges), edited
/// the way networks and captures damage traffic. Record indices: 3/5 first request/response, 7/8 second,
/// 9/10 third, 11/12 fourth, 13/14 fifth, 15/16 FINs, 17 the last ACK.
@Suite struct TCPReassemblyTests {
    let records: [PcapWriter.Record]
    let expected = ReplayTests.keepAliveExchanges

    init() throws {
        records = try CaptureFixture.records("http_keepalive.pcap")
    }

    private func replay(_ records: [PcapWriter.Record]) throws -> Replay {
        try Replay(PcapWriter.file(linkType: 1, records: records))
    }

    @Test func outOfOrderSegmentsAreReordered() throws {
        var edited = records
        let response = records[5]
        edited[5...5] = [response.editing { $0.carrying(200..<254) }, response.editing { $0.carrying(0..<100) },
                         response.editing { $0.carrying(100..<200) }]
        let replay = try replay(edited)
        #expect(replay.exchanges == expected)
        #expect(replay.capture.missingRanges == 0)
        #expect(replay.tracker.gaps == 0)
    }

    @Test func retransmissionsAreDroppedAsDuplicates() throws {
        var edited = records
        edited.insert(records[7], at: 9)  // the second request again, after its response
        let replay = try replay(edited)
        #expect(replay.exchanges == expected)
        #expect(replay.tracker.duplicateChunks == 1)
    }

    @Test func overlappingSegmentsAreTrimmed() throws {
        var edited = records
        edited[9...9] = [records[9].editing { $0.carrying(0..<50) }, records[9].editing { $0.carrying(30..<86) }]
        let replay = try replay(edited)
        #expect(replay.exchanges == expected)
        #expect(replay.tracker.gaps == 0)
    }

    @Test func aMissingSegmentIsAGapAndItsExchangeIsNotInvented() throws {
        var edited = records
        edited.remove(at: 11)  // the fourth request
        let replay = try replay(edited)
        #expect(replay.exchanges == [expected[0], expected[1], expected[2], expected[4]])
        #expect(replay.capture.missingRanges == 1)
        #expect(replay.capture.missingBytes == 92)
    }

    @Test func aMissingLastSegmentIsAGapAtTheFIN() throws {
        var edited = records
        edited.remove(at: 13)  // the fifth request: nothing of the client follows but its FIN
        let replay = try replay(edited)
        #expect(replay.exchanges == Array(expected[0..<4]))
        #expect(replay.capture.missingRanges == 1)
        #expect(replay.capture.missingBytes == 93)
    }

    @Test func aConnectionJoinedMidStreamTakesTheServerFromThePortsAndTheBytes() throws {
        let replay = try replay(Array(records[7...]))  // from the second request on: no handshake
        #expect(replay.exchanges == Array(expected[1...]))
        #expect(replay.capture.streams == 1)
    }

    @Test func aConnectionJoinedAtAResponseSkipsIt() throws {
        let replay = try replay(Array(records[8...]))  // starts with the second response
        #expect(replay.exchanges == Array(expected[2...]))
    }

    @Test func finAndRstCloseTheConnection() throws {
        #expect(try replay(records).tracker.activeConnections == 0)
        var reset = Array(records[...15])
        reset[15] = records[15].editing { frame in
            var frame = frame
            frame.flags = 0x14  // RST + ACK instead of FIN + ACK
            return frame
        }
        let replay = try replay(reset)
        #expect(replay.exchanges == expected)
        #expect(replay.tracker.activeConnections == 0)
        // Without FIN or RST the connection is still open at the end: its exchanges are reported all the same.
        let unfinished = try self.replay(Array(records[...14]))
        #expect(unfinished.exchanges == expected)
        #expect(unfinished.tracker.activeConnections == 1)
    }

    @Test func aNewSYNOnTheSamePortsIsANewConnection() throws {
        let replay = try replay(records + records.map { PcapWriter.Record(timestamp: $0.timestamp + 1_000_000_000, data: $0.data) }
            .map { $0.editing { frame in
                var frame = frame
                // A new initial sequence number for the client's SYN (the rest keeps its relative numbers).
                if frame.flags == 0x02 { frame = frame.carrying(0..<0); frame.bytes[38] &+= 1 }
                return frame
            } })
        #expect(replay.capture.streams == 2)
        #expect(replay.exchanges.count == 5)  // the second copy's other segments belong to the first's numbers
    }
}
