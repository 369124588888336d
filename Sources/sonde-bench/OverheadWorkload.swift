/// A real server and the real load generator that drives it, for the overhead benchmark.
protocol OverheadWorkload: AnyObject {
    /// The workload's name in the table.
    var name: String { get }
    /// The server's executable name as the kernel keeps it (`sonde --exe`), so that only the server's side
    /// of each connection is traced: one span per request.
    var serverExecutable: String { get }
    /// The loopback port the server listens on.
    var port: Int { get }
    /// Starts the server (and whatever the load generator must learn before measuring).
    func start() throws
    /// Runs the load generator against the server for about `seconds`.
    func generateLoad(seconds: Double) throws -> LoadResult
    /// Stops the server.
    func stop()
}
