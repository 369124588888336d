import Foundation
import SondeTestSupport
import Testing

/// The `.chunks` format the fixtures are recorded in, read and written back (the benchmark writes it for
/// the llhttp reference).
@Suite struct FixtureChunkTests {
    private func file(_ path: String) throws -> [UInt8] {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        return [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(path)))
    }

    @Test func writesBackTheBytesItRead() throws {
        let bytes = try file("redis/pipeline.chunks")
        let chunks = try #require(FixtureChunk.parse(bytes))
        #expect(chunks.map(\.fromClient) == [true, false])
        #expect(chunks.map(\.bytes.count) == [400, 104])
        #expect(String(decoding: chunks[0].bytes.prefix(14), as: UTF8.self) == "*3\r\n$3\r\nSET\r\n$")
        #expect(FixtureChunk.serialize(chunks) == bytes)
    }

    @Test func refusesWhatIsNotInTheFormat() {
        #expect(FixtureChunk.parse(Array("C 5\nabc".utf8)) == nil)
        #expect(FixtureChunk.parse(Array("X 3\nabc\n".utf8)) == nil)
        #expect(FixtureChunk.parse(Array("C three\nabc\n".utf8)) == nil)
        #expect(FixtureChunk.parse(Array("C 3 abc".utf8)) == nil)
        #expect(FixtureChunk.parse([])?.isEmpty == true)
    }
}
