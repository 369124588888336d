/// A real server on a loopback port of its own, traced by Sonde (`sonde run --port PORT`) exporting to a
/// real collector: the setup of an end-to-end test. The `--port` filter keeps tests running in parallel
/// from seeing each other.
public struct TracedServer<Server> {
    public let collector: RotelCollector
    public let server: Server
    public let sonde: SondeProcess

    /// Starts the collector, the server (`start` given a free loopback port) and Sonde with
    /// `sondeArguments` after `run --port PORT`, exporting every 200 ms.
    public init(sondeArguments: [String] = [], start: (Int) throws -> Server) throws {
        collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        server = try start(port)
        sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"] + sondeArguments,
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])
    }
}
