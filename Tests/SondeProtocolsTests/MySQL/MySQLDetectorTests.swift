import Foundation
import SondeTestSupport
import Testing
@testable import SondeProtocols

@Suite struct MySQLDetectorTests {
    private func recognizes(_ bytes: [UInt8]) -> Bool { MySQLDetector.recognizes(bytes[...]) }

    /// A packet as clients send it: the 3-byte length, sequence id 0, the payload.
    private func packet(_ payload: [UInt8], sequenceID: UInt8 = 0) -> [UInt8] {
        [UInt8(payload.count & 0xFF), UInt8(payload.count >> 8 & 0xFF), UInt8(payload.count >> 16), sequenceID] + payload
    }

    @Test func claimsTheGreetingOfEveryFixture() {
        for fixture in MySQLFixture.all {
            #expect(!fixture.chunks[0].fromClient)
            #expect(recognizes(fixture.chunks[0].bytes), "\(fixture.name)")
        }
    }

    /// Joined mid-stream, a connection's next command chunk is recognised (login packets are not).
    @Test func claimsEveryCommandChunkMidStream() {
        for fixture in MySQLFixture.all {
            for chunk in fixture.chunks.dropFirst(2) where chunk.fromClient && chunk.bytes[3] == 0 {
                let code = chunk.bytes[4]
                let isClaimed = [0x03, 0x16, 0x0E, 0x01, 0x02, 0x17, 0x19, 0x1A].contains(code)
                #expect(recognizes(chunk.bytes) == isClaimed, "\(fixture.name) \(chunk.bytes.prefix(20))")
            }
        }
    }

    @Test func claimsCommandsCutShortByTheCapture() {
        let query = packet(Array("SELECT * FROM items WHERE name = 'a long name'".utf8).withCommand(0x03))
        #expect(recognizes(Array(query.prefix(20))))
        #expect(recognizes(packet([0x0E])))
        #expect(!recognizes(packet([0x0E], sequenceID: 1)))
        #expect(!recognizes(packet(Array("hello there".utf8).withCommand(0x03))))  // no SQL keyword first
        #expect(!recognizes(packet([0x0E, 0x00])))                                 // PING has no payload
    }

    @Test func refusesHTTPAndRedisFixtures() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/http1")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".bin") }
        #expect(files.count > 10)
        for file in files {
            #expect(!recognizes(Array(try Data(contentsOf: fixtures.appendingPathComponent(file)))), "\(file)")
        }
        for fixture in RedisFixture.all {
            for chunk in fixture.chunks { #expect(!recognizes(chunk.bytes), "\(fixture.name)") }
        }
    }

    @Test func otherDetectorsRefuseMySQL() {
        for fixture in MySQLFixture.all {
            for chunk in fixture.chunks {
                #expect(!RedisDetector.recognizes(chunk.bytes[...]), "\(fixture.name) \(chunk.bytes.prefix(12))")
                #expect(!HTTP1Detector.recognizes(chunk.bytes[...]), "\(fixture.name) \(chunk.bytes.prefix(12))")
            }
        }
    }

    @Test func randomBytesAreNeverMySQL() {
        var generator = SeededGenerator(seed: 43)
        var claimed = 0
        for _ in 0..<10_000 {
            let bytes = (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if recognizes(bytes) { claimed += 1 }
        }
        #expect(claimed == 0)
    }
}

extension Array where Element == UInt8 {
    /// A command payload: the command byte, then these bytes.
    fileprivate func withCommand(_ code: UInt8) -> [UInt8] { [code] + self }
}
