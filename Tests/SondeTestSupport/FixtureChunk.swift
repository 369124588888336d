import Foundation

/// One chunk of a recorded connection (Tests/Fixtures/PROTOCOL/NAME.chunks, written by the
/// fixtures' make_fixtures.py): the bytes one `recv` saw, from the client or from the server.
public struct FixtureChunk: Sendable {
    public var fromClient: Bool
    public var bytes: [UInt8]

    public init(fromClient: Bool, bytes: [UInt8]) {
        self.fromClient = fromClient
        self.bytes = bytes
    }

    /// The chunks of `Tests/Fixtures/<directory>/<name>.chunks`, in the order they were seen.
    public static func load(directory: String, name: String) -> [FixtureChunk] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(directory)/\(name).chunks")
        return parse(Array(try! Data(contentsOf: file)))!
    }

    /// The chunks of a `.chunks` file's contents: each a header line `C <length>` or `S <length>`, that
    /// many bytes, a newline. Nil when the contents are not in that format.
    public static func parse(_ data: [UInt8]) -> [FixtureChunk]? {
        var chunks: [FixtureChunk] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = data[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let header = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: " ")
            guard header.count == 2, header[0] == "C" || header[0] == "S", let length = Int(header[1]),
                  length >= 0, lineEnd + 1 + length < data.count else { return nil }
            chunks.append(FixtureChunk(fromClient: header[0] == "C",
                                       bytes: Array(data[(lineEnd + 1)..<(lineEnd + 1 + length)])))
            index = lineEnd + 2 + length
        }
        return chunks
    }

    /// The chunks written in the `.chunks` format `parse(_:)` reads.
    public static func serialize(_ chunks: [FixtureChunk]) -> [UInt8] {
        chunks.flatMap { chunk in
            Array("\(chunk.fromClient ? "C" : "S") \(chunk.bytes.count)\n".utf8) + chunk.bytes + [UInt8(ascii: "\n")]
        }
    }
}
