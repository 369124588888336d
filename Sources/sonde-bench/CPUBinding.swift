import Foundation

/// Where the overhead benchmark runs its processes: on every CPU together, or Sonde alone on one CPU and the
/// server and load generator on the others.
///
/// A process inherits the CPUs of the thread that starts it (nginx's workers and redis-benchmark's threads
/// theirs), so each process is started from a thread bound for the time of the start to the CPUs it gets.
struct CPUBinding {
    /// Sonde's CPU; nil when every process may run on every CPU.
    let tracerCPU: Int?
    /// The CPUs Linux has online.
    static let onlineCPUs = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// How the processes are placed, for the benchmark's first line.
    var description: String {
        guard let tracerCPU else { return "Sonde, the server and the load generator share every CPU" }
        return "Sonde alone on CPU \(tracerCPU), the server and the load generator on CPU "
            + serviceCPUs.map(String.init).joined(separator: ", ")
    }

    /// Runs `body`, which starts the server or the load generator, on the CPUs left to them.
    func onServiceCPUs<T>(_ body: () throws -> T) throws -> T {
        guard tracerCPU != nil else { return try body() }
        return try Self.bound(to: serviceCPUs, body)
    }

    /// Runs `body`, which starts Sonde, on Sonde's CPU.
    func onTracerCPU<T>(_ body: () throws -> T) throws -> T {
        guard let tracerCPU else { return try body() }
        return try Self.bound(to: [tracerCPU], body)
    }

    private var serviceCPUs: [Int] {
        (0..<Self.onlineCPUs).filter { $0 != tracerCPU }
    }

    /// glibc's `sched_getaffinity` or `sched_setaffinity` (thread 0 is the calling one), which Swift's Glibc
    /// module does not declare (they need `_GNU_SOURCE`).
    private typealias AffinityCall = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> CInt

    private static func affinityCall(_ name: String) -> AffinityCall? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: AffinityCall.self) }
    }

    /// Runs `body` with the calling thread bound to `cpus`, then gives the thread its former CPUs back.
    private static func bound<T>(to cpus: [Int], _ body: () throws -> T) throws -> T {
        let size = MemoryLayout<cpu_set_t>.size
        var former = cpu_set_t()
        var wanted = cpu_set_t()
        withUnsafeMutableBytes(of: &wanted) { bytes in
            for cpu in cpus { bytes[cpu / 8] |= 1 << (cpu % 8) }
        }
        guard let getAffinity = affinityCall("sched_getaffinity"), let setAffinity = affinityCall("sched_setaffinity"),
              getAffinity(0, size, &former) == 0, setAffinity(0, size, &wanted) == 0 else {
            throw BenchmarkFailure("cannot bind to CPU \(cpus.map(String.init).joined(separator: ", ")): \(String(cString: strerror(errno))).")
        }
        defer { _ = setAffinity(0, size, &former) }
        return try body()
    }
}
