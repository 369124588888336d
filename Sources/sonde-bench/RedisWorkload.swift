import Foundation
import SondeTestSupport

/// redis-server answering SET and GET, driven by `redis-benchmark` (its CSV report: requests per second and
/// latency percentiles per command). redis-benchmark sends a number of requests, not for a time: the number
/// is chosen once, untraced, for the requested duration.
final class RedisWorkload: OverheadWorkload {
    let name: String
    let serverExecutable = "redis-server"
    let port: Int
    private let pipeline: Int
    private let connections: Int
    private var server: RedisServer?
    private var requestsPerSecond = 0.0

    init(pipeline: Int, connections: Int) throws {
        self.pipeline = pipeline
        self.connections = connections
        name = pipeline == 1 ? "redis" : "redis -P \(pipeline)"
        port = try TCPPort.freeLoopbackPort()
    }

    func start() throws {
        server = try RedisServer(port: port)
        requestsPerSecond = try benchmark(requestsPerCommand: 20_000 * pipeline).requestsPerSecond
    }

    func generateLoad(seconds: Double) throws -> LoadResult {
        try benchmark(requestsPerCommand: Int(requestsPerSecond * seconds / 2))
    }

    func stop() {
        server?.stop()
        server = nil
    }

    /// Runs SET then GET, `requestsPerCommand` each, and combines them: all requests over the time both took,
    /// and the worse of the two 99th percentiles.
    private func benchmark(requestsPerCommand: Int) throws -> LoadResult {
        guard let server else { throw BenchmarkFailure("\(name): the server is not running") }
        let output = try server.benchmark("-c", "\(connections)", "-P", "\(pipeline)", "-n", "\(requestsPerCommand)",
                                          "-t", "set,get", "--csv")
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
        let rows = output.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { $0.replacingOccurrences(of: "\"", with: "") } }
        let figures = rows.compactMap { row in row.count >= 7 ? Double(row[1]).flatMap { rps in Double(row[6]).map { (rps, $0) } } : nil }
        guard figures.count == 2 else { throw BenchmarkFailure("could not read redis-benchmark's report: \(output)") }
        let seconds = figures.reduce(0) { $0 + Double(requestsPerCommand) / $1.0 }
        return LoadResult(requests: 2 * requestsPerCommand, seconds: seconds, p99Milliseconds: figures.map { $0.1 }.max() ?? 0)
    }
}
