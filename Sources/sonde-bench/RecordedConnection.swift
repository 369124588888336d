import Foundation
import SondeModel
import SondeTestSupport

/// One connection recorded from a real server and client (a fixture of Tests/Fixtures), as the chunks
/// each side's calls moved, in the order they were seen.
struct RecordedConnection {
    /// The fixture it came from, e.g. `redis/pipeline`.
    var name: String
    var chunks: [FixtureChunk]

    /// Bytes of both directions.
    var byteCount: Int { chunks.reduce(0) { $0 + $1.bytes.count } }

    /// The connections of `directory/protocolName`: every `NAME.chunks` file, or for HTTP/1 every
    /// `NAME.request.bin` (all the client sent, one chunk) with its `NAME.response.bin` (all it received).
    static func load(protocolName: String, from directory: String) throws -> [RecordedConnection] {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(protocolName)
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() else {
            throw BenchmarkFailure("There is no fixture folder \(folder.path) (see --fixtures).")
        }
        func read(_ file: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: folder.appendingPathComponent(file))) }
        var connections: [RecordedConnection] = []
        for file in files where file.hasSuffix(".chunks") {
            let name = String(file.dropLast(".chunks".count))
            guard let chunks = FixtureChunk.parse(try read(file)) else {
                throw BenchmarkFailure("\(folder.path)/\(file) is not in the .chunks format (C|S <length>, bytes, newline).")
            }
            connections.append(RecordedConnection(name: "\(protocolName)/\(name)", chunks: chunks))
        }
        for file in files where file.hasSuffix(".request.bin") {
            let name = String(file.dropLast(".request.bin".count))
            let chunks = [FixtureChunk(fromClient: true, bytes: try read(file)),
                          FixtureChunk(fromClient: false, bytes: try read("\(name).response.bin"))]
            connections.append(RecordedConnection(name: "\(protocolName)/\(name)", chunks: chunks))
        }
        guard !connections.isEmpty else {
            throw BenchmarkFailure("No .chunks or .request.bin fixture in \(folder.path).")
        }
        return connections
    }

    /// The events a client tracing this connection as `id` produces: opened, one data event per chunk
    /// (client bytes egress), closed; one microsecond apart from `start`.
    func events(as id: ConnectionID, startingAt start: UInt64) -> [RawEvent] {
        var clock = start
        func tick() -> UInt64 {
            clock += 1_000
            return clock
        }
        let local = SocketAddress(host: "10.0.0.1", port: UInt16(truncatingIfNeeded: 40_000 + Int(id.fd)))
        let remote = SocketAddress(host: "10.0.0.2", port: 8080)
        var events: [RawEvent] = [.opened(ConnectionOpened(id: id, role: .client, local: local, remote: remote,
                                                            timestamp: tick()))]
        var offsets: [Direction: UInt64] = [.egress: 0, .ingress: 0]
        for chunk in chunks {
            let direction: Direction = chunk.fromClient ? .egress : .ingress
            let offset = offsets[direction, default: 0]
            offsets[direction] = offset + UInt64(chunk.bytes.count)
            events.append(.data(DataChunk(id: id, tid: id.pid, direction: direction, offset: offset,
                                          size: chunk.bytes.count, payload: chunk.bytes, timestamp: tick())))
        }
        events.append(.closed(ConnectionClosed(id: id, timestamp: tick())))
        return events
    }
}
