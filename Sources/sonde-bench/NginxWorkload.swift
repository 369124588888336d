import Foundation
import SondeTestSupport

/// nginx serving a small page over HTTP/1.1 keep-alive (plain or TLS), driven by `wrk --latency`.
final class NginxWorkload: OverheadWorkload {
    let name: String
    let serverExecutable = "nginx"
    let port: Int
    private let tls: Bool
    private let connections: Int
    private var server: NginxServer?

    init(tls: Bool, connections: Int) throws {
        self.tls = tls
        self.connections = connections
        name = tls ? "nginx https" : "nginx http"
        port = try TCPPort.freeLoopbackPort()
    }

    func start() throws {
        server = try NginxServer(port: port, tls: tls)
    }

    func generateLoad(seconds: Double) throws -> LoadResult {
        guard let server else { throw BenchmarkFailure("\(name): the server is not running") }
        let output = try ChildProcess.run("/usr/bin/wrk", [
            "-t", "2", "-c", "\(connections)", "-d", "\(Int(seconds.rounded()))s", "--latency", server.url("/index.html"),
        ])
        return try Self.parse(wrk: output)
    }

    func stop() {
        server?.stop()
        server = nil
    }

    /// The requests, duration and 99th percentile in wrk's report, e.g. `  99%    3.21ms` and
    /// `  123456 requests in 10.00s, 30.00MB read`.
    static func parse(wrk output: String) throws -> LoadResult {
        let lines = output.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace) }
        guard let p99 = lines.first(where: { $0.first == "99%" && $0.count == 2 }).flatMap({ milliseconds(String($0[1])) }),
              let totals = lines.first(where: { $0.count >= 4 && $0[1] == "requests" && $0[2] == "in" }),
              let requests = Int(totals[0]), let seconds = Self.milliseconds(String(totals[3].dropLast())).map({ $0 / 1000 })
        else { throw BenchmarkFailure("could not read wrk's report: \(output)") }
        return LoadResult(requests: requests, seconds: seconds, p99Milliseconds: p99)
    }

    /// A wrk duration (`850.00us`, `3.21ms`, `1.02s`, `2.00m`) in milliseconds.
    private static func milliseconds(_ text: String) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return nil
    }
}
