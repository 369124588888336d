import SondeCapture
import SondeTestSupport
import Testing

/// The readers on every fixture format, and on bytes that are not (or no longer) a capture.
@Suite struct CaptureFileTests {
    private func packets(_ bytes: [UInt8]) throws -> [CapturedPacket] {
        var file = try CaptureFile(bytes: bytes)
        var packets: [CapturedPacket] = []
        while let packet = try file.nextPacket() { packets.append(packet) }
        return packets
    }

    @Test(arguments: [
        ("http_ipv4.pcap", CaptureFile.Format.pcap, 42, 1_795_253_357_890_489_000 as UInt64, [LinkType.ethernet]),
        ("http_ipv4_nano.pcap", .pcap, 42, 1_795_253_359_572_208_647, [.ethernet]),
        ("http_any_sll.pcap", .pcap, 9, 1_795_253_361_134_447_000, [.linuxSLL]),
        ("http_any_sll2.pcap", .pcap, 10, 1_795_253_362_785_731_000, [.linuxSLL2]),
        ("http_ipv6.pcapng", .pcapng, 12, 1_795_253_364_449_322_193, [.ethernet]),
        ("two_interfaces.pcapng", .pcapng, 34, 1_795_253_364_449_322_193, [.ethernet, .linuxSLL2]),
        ("redis.pcap", .pcap, 22, 1_795_253_367_893_488_000, [.linuxSLL2]),
        ("mariadb.pcap", .pcap, 22, 1_795_253_371_555_854_000, [.ethernet]),
    ])
    func readsEveryFixture(name: String, format: CaptureFile.Format, count: Int, firstTimestamp: UInt64,
                           linkTypes: [LinkType]) throws {
        let bytes = try CaptureFixture.bytes(name)
        #expect(try CaptureFile(bytes: bytes).format == format)
        let packets = try packets(bytes)
        #expect(packets.count == count)
        #expect(packets.first?.timestamp == firstTimestamp)
        #expect(Set(packets.map(\.linkType)) == Set(linkTypes))
        #expect(packets.map(\.timestamp) == packets.map(\.timestamp).sorted())
    }

    @Test func anEmptyFileIsNotACapture() {
        #expect(throws: CaptureError.notACapture(reason: "the file is empty")) { try CaptureFile(bytes: []) }
    }

    @Test func randomBytesAreNotACapture() {
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(throws: CaptureError.notACapture(
            reason: "it starts with neither a pcap magic number nor a pcapng section header")) {
            try CaptureFile(bytes: bytes)
        }
    }

    @Test func aFileCutInsideARecordIsTruncatedAfterTheCompletePackets() throws {
        let bytes = try CaptureFixture.bytes("http_ipv4.pcap")
        let cut = Array(bytes[..<(bytes.count - 10)])
        let replay = try Replay(cut)
        #expect(replay.failure == .truncated(atByte: 5132, packetsRead: 41))
        #expect(replay.capture.packets == 41)
        #expect(replay.exchanges == ReplayTests.ipv4Exchanges)
        #expect(throws: CaptureError.truncated(atByte: 0, packetsRead: 0)) { try CaptureFile(bytes: Array(bytes[..<10])) }
    }

    @Test func aPcapngCutInsideABlockIsTruncated() throws {
        let bytes = try CaptureFixture.bytes("http_ipv6.pcapng")
        let replay = try Replay(Array(bytes[..<1000]))
        guard case .truncated(_, let packetsRead) = replay.failure else {
            Issue.record("expected truncation, got \(String(describing: replay.failure))")
            return
        }
        #expect(replay.capture.packets == packetsRead)
    }

    /// Random damage anywhere after the header: an error or fewer spans, never a crash or an extra exchange.
    /// (Damaged payload bytes are replayed as they are: captures of loopback traffic carry offloaded,
    /// unverifiable checksums.)
    @Test func damagedCapturesNeverCrash() throws {
        var generator = SeededGenerator(seed: 11)
        for name in ["http_ipv4.pcap", "http_ipv6.pcapng", "two_interfaces.pcapng"] {
            let bytes = try CaptureFixture.bytes(name)
            let intact = try Replay(bytes).spans.count
            for _ in 0..<200 {
                var damaged = bytes
                for _ in 0..<8 {
                    damaged[Int.random(in: 24..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                #expect(try Replay(damaged).spans.count <= intact)
            }
        }
    }
}

extension LinkType: CustomTestStringConvertible {
    public var testDescription: String { description }
}
