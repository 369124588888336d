import CLibbpf
import Foundation

/// What the kernel counts of every loaded BPF program while its run-time accounting is on
/// (`BPF_ENABLE_STATS`): how long each has run in all.
struct KernelProgramStatistics {
    struct Program {
        var name: String
        var runNanoseconds: UInt64
    }

    /// Every loaded program, by id.
    let programs: [UInt32: Program]

    /// The programs loaded now and their counts so far.
    static func snapshot() -> KernelProgramStatistics {
        var programs: [UInt32: Program] = [:]
        var id: UInt32 = 0
        while bpf_prog_get_next_id(id, &id) == 0 {
            let fd = bpf_prog_get_fd_by_id(id)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = bpf_prog_info()
            var length = UInt32(MemoryLayout<bpf_prog_info>.size)
            guard bpf_obj_get_info_by_fd(fd, &info, &length) == 0 else { continue }
            let name = withUnsafeBytes(of: info.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            programs[id] = Program(name: name, runNanoseconds: info.run_time_ns)
        }
        return KernelProgramStatistics(programs: programs)
    }

    /// Runs `body` with the kernel's run-time accounting on, and gives its result with the nanoseconds the
    /// programs of `ids` ran meanwhile, by program name. The accounting costs every program run two clock
    /// reads.
    static func accounting<Result>(of ids: Set<UInt32>, _ body: () throws -> Result) throws -> (Result, [String: UInt64]) {
        let fd = bpf_enable_stats(BPF_STATS_RUN_TIME)
        guard fd >= 0 else {
            throw BenchmarkFailure("the kernel's BPF run-time accounting could not be turned on: \(String(cString: strerror(-fd))).")
        }
        defer { close(fd) }
        let start = snapshot()
        let result = try body()
        let end = snapshot()
        var nanoseconds: [String: UInt64] = [:]
        for id in ids {
            guard let now = end.programs[id], let before = start.programs[id] else { continue }
            nanoseconds[now.name, default: 0] += now.runNanoseconds - before.runNanoseconds
        }
        return (result, nanoseconds)
    }
}
