import Foundation
import SondeTestSupport
import Testing
@testable import SondeProtocols

@Suite struct RedisDetectorTests {
    private func recognizes(_ text: String) -> Bool { RedisDetector.recognizes(Array(text.utf8)[...]) }

    @Test func claimsTheFirstChunkOfEveryFixtureFromEitherSide() {
        for fixture in RedisFixture.all {
            #expect(RedisDetector.recognizes(fixture.chunks[0].bytes[...]), "\(fixture.name)")
            let firstReply = fixture.chunks.first { !$0.fromClient }!
            #expect(RedisDetector.recognizes(firstReply.bytes[...]), "\(fixture.name) reply")
        }
    }

    /// Joined mid-stream, a connection's next chunk is usually a whole command or reply.
    @Test func claimsEveryCommandChunkMidStream() {
        for fixture in RedisFixture.all {
            for chunk in fixture.chunks where chunk.fromClient && chunk.bytes != Array("\r\n".utf8) {
                #expect(RedisDetector.recognizes(chunk.bytes[...]), "\(fixture.name) \(chunk.bytes.prefix(20))")
            }
        }
    }

    @Test func claimsCommandsCutShortByTheCapture() {
        #expect(recognizes("*3\r\n$"))
        #expect(recognizes("*3\r\n$3\r\nSE"))
        #expect(recognizes("*1\r\n$4\r\nping\r\n"))
        #expect(recognizes("PING\r\n"))
        #expect(recognizes("set a b\r\n"))
    }

    @Test func refusesHTTPFixtures() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/http1")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".bin") }
        #expect(files.count > 10)
        for file in files {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            #expect(!RedisDetector.recognizes(bytes[...]), "\(file)")
        }
        #expect(!recognizes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(!recognizes("SET /x HTTP/1.1\r\n"))
    }

    @Test func refusesOtherProtocolsAndText() {
        #expect(!RedisDetector.recognizes([0x4a, 0x00, 0x00, 0x00, 0x0a, 0x38, 0x2e][...]))  // MySQL greeting
        #expect(!RedisDetector.recognizes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01][...]))        // TLS ClientHello
        #expect(!recognizes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
        #expect(!recognizes("good morning\r\n"))
        #expect(!recognizes("SSH-2.0-OpenSSH_9.2\r\n"))
        #expect(!recognizes("220 mail.example.com ESMTP\r\n"))
        #expect(!recognizes("PING"))                     // an inline command needs its line end
        #expect(!recognizes("*3\r\n$5\r\nHOWDY\r\n"))   // ...and 5 letters that are no command
        #expect(!recognizes("+OK"))
        #expect(!recognizes("-"))
        #expect(!recognizes(""))
    }

    @Test func claimsRepliesOnlyWhenTheyDecode() {
        #expect(recognizes("+OK\r\n"))
        #expect(recognizes("-ERR unknown command\r\n"))
        #expect(recognizes(":42\r\n"))
        #expect(recognizes("$-1\r\n"))
        #expect(recognizes("*2\r\n$1\r\nf\r\n$1\r\nv\r\n"))
        #expect(recognizes("$100000\r\nabc"))             // a large bulk reply cut by the capture
        #expect(!recognizes(":4x2\r\n"))
        #expect(!recognizes("$3\r\nabcdef\r\n"))
        #expect(!recognizes("#maybe\r\n"))
    }

    @Test func randomBytesAreRarelyRedis() {
        var generator = SeededGenerator(seed: 42)
        var claimed = 0
        for _ in 0..<10_000 {
            let bytes = (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if RedisDetector.recognizes(bytes[...]) { claimed += 1 }
        }
        #expect(claimed == 0)
    }
}
