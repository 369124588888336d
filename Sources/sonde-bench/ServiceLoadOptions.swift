import ArgumentParser
import Foundation

/// The options of the benchmarks that trace real servers under load (`overhead`, `kernel-cost`): which
/// workloads, how many connections, and where Sonde runs. Validating them checks the machine too: root, the
/// servers and load generators, and a CPU of its own for Sonde when one is asked for.
struct ServiceLoadOptions: ParsableArguments {
    @Option(help: "Concurrent connections of the load generators.")
    var connections: Int = 32

    @Option(help: "Comma-separated workloads: nginx, nginx-tls, redis, redis-pipelined.")
    var workloads: String = "nginx,nginx-tls,redis,redis-pipelined"

    @Option(help: ArgumentHelp("Run Sonde alone on this CPU, and the server and load generator on the others.",
                               discussion: "Without it every process shares every CPU, and on a saturated host Sonde's own CPU is taken from the service. With it the service pays only for what Sonde does in its calls (the probes, copying payloads into the ring buffer): the cost on a host with a core to spare."))
    var tracerCPU: Int?

    func validate() throws {
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1.") }
        if let tracerCPU, CPUBinding.onlineCPUs < 2 || !(0..<CPUBinding.onlineCPUs).contains(tracerCPU) {
            throw ValidationError("--tracer-cpu takes one of CPUs 0 to \(CPUBinding.onlineCPUs - 1), and leaves the others to the service: it needs at least 2 CPUs.")
        }
        guard getuid() == 0 else { throw ValidationError("this benchmark attaches BPF programs: run it as root.") }
        for tool in ["/usr/bin/wrk", "/usr/sbin/nginx", "/usr/bin/redis-server", "/usr/bin/redis-benchmark"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw ValidationError("\(tool) is missing: scripts/setup.sh installs it.")
        }
    }

    /// Where the processes run.
    var binding: CPUBinding { CPUBinding(tracerCPU: tracerCPU) }

    /// The selected workloads, not started yet.
    func selectedWorkloads() throws -> [any OverheadWorkload] {
        try workloads.split(separator: ",").map { name -> any OverheadWorkload in
            switch name {
            case "nginx": try NginxWorkload(tls: false, connections: connections)
            case "nginx-tls": try NginxWorkload(tls: true, connections: connections)
            case "redis": try RedisWorkload(pipeline: 1, connections: connections)
            case "redis-pipelined": try RedisWorkload(pipeline: 16, connections: connections)
            default: throw ValidationError("Unknown workload \(name): use nginx, nginx-tls, redis or redis-pipelined.")
            }
        }
    }
}
