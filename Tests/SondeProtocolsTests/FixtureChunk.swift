import Foundation

/// One chunk of a recorded connection (Tests/Fixtures/PROTOCOL/NAME.chunks, written by the
/// fixtures' make_fixtures.py): the bytes one `recv` saw, from the client or from the server.
struct FixtureChunk: Sendable {
    var fromClient: Bool
    var bytes: [UInt8]

    /// The chunks of `Tests/Fixtures/<directory>/<name>.chunks`, in the order they were seen: each a
    /// header line `C <length>` or `S <length>`, that many bytes, a newline.
    static func load(directory: String, name: String) -> [FixtureChunk] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(directory)/\(name).chunks")
        let data = Array(try! Data(contentsOf: file))
        var chunks: [FixtureChunk] = []
        var index = 0
        while index < data.count {
            let lineEnd = data[index...].firstIndex(of: UInt8(ascii: "\n"))!
            let header = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: " ")
            let length = Int(header[1])!
            chunks.append(FixtureChunk(fromClient: header[0] == "C",
                                       bytes: Array(data[(lineEnd + 1)..<(lineEnd + 1 + length)])))
            index = lineEnd + 2 + length
        }
        return chunks
    }
}
