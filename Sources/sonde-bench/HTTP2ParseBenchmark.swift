import ArgumentParser
import Foundation
import NIOCore
import NIOHPACK
import SondeModel
import SondeProtocols

/// `sonde-bench http2-parse`: what decoding HTTP/2 (framing, HPACK, stream stitching) costs beside
/// HTTP/1 on the same requests and responses, measured side by side in one run. The traffic is made here:
/// header blocks by NIOHPACK's encoder (dynamic table in use, Huffman on), one request and one response
/// chunk per exchange, as a keep-alive connection of a client and a server would be captured.
struct HTTP2ParseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http2-parse",
        abstract: "Parse throughput of HTTP/2 (from the start, and joined mid-stream) beside HTTP/1.")

    @Option(help: "Exchanges on the connection.")
    var exchanges: Int = 20_000

    @Option(help: "Response body bytes.")
    var bodySize: Int = 1024

    @Option(help: "Measurements per row; the median is printed.")
    var repetitions: Int = 5

    /// One side's bytes of one exchange.
    private typealias Chunk = (bytes: [UInt8], direction: Direction)

    func run() throws {
        guard exchanges > 10, bodySize >= 0, bodySize < 16_384, repetitions > 0 else {
            throw ValidationError("--exchanges must be above 10, --body-size below 16384, --repetitions positive.")
        }
        let http1 = http1Traffic()
        let http2 = try http2Traffic()
        // Joined after the first ten exchanges: both HPACK tables unknown.
        let joined = Array(http2.dropFirst(1 + 2 * 10))
        let rows: [(String, [Chunk], Int, (ConnectionRole) -> any ProtocolSession)] = [
            ("HTTP/1.1", http1, exchanges, HTTP1Session.init(role:)),
            ("HTTP/2", http2, exchanges, HTTP2Session.init(role:)),
            ("HTTP/2 joined", joined, exchanges - 10, HTTP2Session.init(role:)),
        ]
        print("protocol        wire-MB  exchanges  median-ms    MB/s  exchanges/s  time/exchange vs HTTP/1.1")
        var reference: Double?
        for (name, chunks, expected, makeSession) in rows {
            var times: [Double] = []
            for _ in 0..<repetitions {
                let (count, seconds) = Self.parse(chunks, session: makeSession(.unknown))
                guard count == expected else {
                    throw ValidationError("\(name): \(count) exchanges parsed, \(expected) expected.")
                }
                times.append(seconds)
            }
            let median = Measurement.median(times)
            let perExchange = median / Double(expected)
            let baseline = reference ?? perExchange
            reference = baseline
            let megabytes = Double(chunks.reduce(0) { $0 + $1.bytes.count }) / 1e6
            print([name.padding(toLength: 14, withPad: " ", startingAt: 0), Measurement.format(megabytes, 7),
                   String(expected).leftPadded(9), Measurement.format(median * 1e3, 9), Measurement.format(megabytes / median, 7),
                   Measurement.format(Double(expected) / median, 11, decimals: 0), Measurement.format(perExchange / baseline, 26)]
                .joined(separator: "  "))
        }
    }

    private static func parse(_ chunks: [Chunk], session: any ProtocolSession) -> (exchanges: Int, seconds: Double) {
        var records: [ProtocolRecord] = []
        records.reserveCapacity(chunks.count / 2)
        let seconds = Measurement.seconds {
            for (index, chunk) in chunks.enumerated() {
                session.receive(chunk.bytes, direction: chunk.direction, timestamp: UInt64(index), into: &records)
            }
        }
        return (records.count, seconds)
    }

    private func body(_ index: Int) -> [UInt8] { [UInt8](repeating: UInt8(ascii: "a") + UInt8(index % 26), count: bodySize) }

    private func http1Traffic() -> [Chunk] {
        (0..<exchanges).flatMap { index -> [Chunk] in
            let request = "GET /items/\(index) HTTP/1.1\r\nHost: api.example:8080\r\nUser-Agent: sonde-bench/1.0\r\n"
                + "Accept: application/json\r\n\r\n"
            let response = "HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(bodySize)\r\n\r\n"
            return [(Array(request.utf8), .egress), (Array(response.utf8) + body(index), .ingress)]
        }
    }

    private func http2Traffic() throws -> [Chunk] {
        var requestEncoder = HPACKEncoder(allocator: ByteBufferAllocator())
        var responseEncoder = HPACKEncoder(allocator: ByteBufferAllocator())
        var chunks: [Chunk] = [(Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Self.frame(type: 4, flags: 0, stream: 0, []), .egress)]
        for index in 0..<exchanges {
            let stream = UInt32(2 * index + 1)
            let request = try Self.encode([(":method", "GET"), (":path", "/items/\(index)"), (":scheme", "http"),
                                           (":authority", "api.example:8080"), ("user-agent", "sonde-bench/1.0"),
                                           ("accept", "application/json")], with: &requestEncoder)
            let response = try Self.encode([(":status", "200"), ("server", "bench"), ("content-type", "application/json"),
                                            ("content-length", "\(bodySize)")], with: &responseEncoder)
            chunks.append((Self.frame(type: 1, flags: 0x5, stream: stream, request), .egress))
            chunks.append((Self.frame(type: 1, flags: 0x4, stream: stream, response)
                           + Self.frame(type: 0, flags: 0x1, stream: stream, body(index)), .ingress))
        }
        return chunks
    }

    private static func encode(_ fields: [(String, String)], with encoder: inout HPACKEncoder) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try encoder.encode(headers: HPACKHeaders(fields), to: &buffer)
        return Array(buffer.readableBytesView)
    }

    private static func frame(type: UInt8, flags: UInt8, stream: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(stream >> 24), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }
}
