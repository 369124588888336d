import Foundation

/// Reads a `.chunks` fixture (Tests/Fixtures/*/make_fixtures.py write them): one connection's chunks in the
/// order they were seen, each a line `C <length>` (from the client) or `S <length>` (from the server),
/// then that many bytes and a newline.
enum RecordedChunks {
    /// The chunks of `Tests/Fixtures/<directory>/<name>.chunks`, as (from the client, bytes).
    static func load(_ directory: String, _ name: String) -> [(fromClient: Bool, bytes: [UInt8])] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(directory)/\(name).chunks")
        let data = Array(try! Data(contentsOf: file))
        var chunks: [(fromClient: Bool, bytes: [UInt8])] = []
        var index = 0
        while index < data.count {
            let lineEnd = data[index...].firstIndex(of: UInt8(ascii: "\n"))!
            let header = String(decoding: data[index..<lineEnd], as: UTF8.self).split(separator: " ")
            let length = Int(header[1])!
            chunks.append((header[0] == "C", Array(data[(lineEnd + 1)..<(lineEnd + 1 + length)])))
            index = lineEnd + 2 + length
        }
        return chunks
    }
}
